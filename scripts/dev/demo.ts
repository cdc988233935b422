#!/usr/bin/env node
/**
 * `npm run demo`: the whole stack on this machine, no Docker (see scripts/dev/stack/stack.ts),
 * with a gentle load, every URL printed and every alert notification shown as it arrives.
 * `--faults` then walks through the failure scenarios live. Ctrl-C stops everything.
 */
import { formatNotification } from '@voting-mixin/reference-app/alert-receiver';
import { parseFlags } from '../../runtime/flags.js';
import { sleep } from '../../test/support/index.js';
import { compressedOverrides, runScenario, scenarios, scenarioTimeoutMs } from './stack/faults.js';
import { type LoadGenerator, startLoad } from './stack/load.js';
import { Stack } from './stack/stack.js';
import { alertmanagerAlertsPage, prometheusAlertsPage } from './stack/ui-urls.js';

const help = `Usage: npm run demo [-- --faults] [options]

Starts a private Redis, a PostgreSQL database of its own on the local server (or DATABASE_URL),
two vote instances, a worker, the result service, the queue exporter, postgres_exporter,
Prometheus and Alertmanager running the files \`voting-mixin build\` generates for this topology,
a webhook receiver that prints notifications, and a gentle load. Time is compressed (scrape and evaluation every --interval, alert \`for\` of
seconds, low backlog thresholds) so alerts fire within seconds. Ctrl-C stops everything.

Options:
  --faults              after a warm-up, inject each failure live (5xx, latency, worker killed,
                        Redis down, PostgreSQL cut), wait for its notification, then undo it
  --interval 1s|2s      scrape and evaluation interval (default 2s)
  --rate N              votes per second of the load generator (default 10)
  --database-url URL    use this database instead of creating one (env DATABASE_URL)
  --exit-after SECONDS  stop by itself after that long (default: run until Ctrl-C)
  --keep                keep the temporary folder (logs, generated files) after stopping
  -h, --help            this text
`;

const flags = {
  faults: { kind: 'bool', help: 'inject each failure live' },
  interval: { kind: 'string', default: '2s', choices: ['1s', '2s'], help: 'scrape and evaluation interval' },
  rate: { kind: 'number', default: 10, min: 0.1, max: 500, help: 'votes per second' },
  databaseUrl: { kind: 'string', env: 'DATABASE_URL', help: 'use this database' },
  exitAfter: { kind: 'number', min: 0.1, help: 'stop by itself after that many seconds' },
  keep: { kind: 'bool', help: 'keep the temporary folder' },
} as const;

function parse() {
  try {
    const { values, help } = parseFlags(flags, process.argv.slice(2), { env: process.env });
    return { ...values, interval: values.interval as '1s' | '2s', help };
  } catch (e) {
    process.stderr.write(`demo: ${(e as Error).message}\n\n${help}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  const opts = parse();
  if (opts.help) {
    process.stdout.write(help);
    return 0;
  }
  const say = (s: string) => process.stdout.write(`${s}\n`);
  let stack: Stack | undefined;
  let load: LoadGenerator | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (why: string) => {
    if (stopping) {
      // A second Ctrl-C: do not wait for graceful shutdowns any more.
      for (const pid of stack?.pids() ?? []) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      process.exit(130);
    }
    say(`\ndemo: ${why}; stopping everything...`);
    stopping = (async () => {
      await load?.stop();
      await stack?.stop();
      say('demo: stopped; no process left behind.');
    })();
    return stopping;
  };
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  // Whoever started us may have gone (a closed pipe): a failed write must not cut the shutdown short.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => void shutdown(`${sig} received`)?.then(resolveDone));

  say('demo: building dist/ and starting the stack (about 10 s)...');
  stack = await Stack.start({
    interval: opts.interval,
    overrides: compressedOverrides(opts.interval),
    databaseUrl: opts.databaseUrl,
    keep: opts.keep,
    log: (l) => say(l),
    onNotification: (n) => say(`ALERT ${formatNotification(n).replace(/\n/g, '\nALERT ')}`),
    onCrash: (name, code, last) => say(`demo: ${name} exited unexpectedly (${code})\n${last}`),
  });
  if (stopping) return done.then(() => 0);
  const u = stack.urls;
  load = startLoad({ urls: u.vote, resultUrl: u.result, votesPerSecond: opts.rate, options: ['cats', 'dogs'] });
  const pid = (n: Parameters<Stack['proc']>[0]) => stack!.proc(n).pid;
  // Asked of the running servers: Debian's Prometheus 2.42 has only the classic UI and its
  // Alertmanager 0.25 none at all (scripts/dev/stack/ui-urls.ts).
  const [promPage, amPage] = await Promise.all([
    prometheusAlertsPage(u.prometheus),
    alertmanagerAlertsPage(u.alertmanager),
  ]);
  say(
    [
      '',
      'demo: everything is up.',
      `  vote         ${u.vote[0]}/  ${u.vote[1]}/   (pids ${pid('vote-1')}, ${pid('vote-2')}; the voting page)`,
      `  result       ${u.result}/   (pid ${pid('result')}; live tallies page, JSON at ${u.result}/results)`,
      `  worker       ${u.worker}/metrics   (pid ${pid('worker')})`,
      `  exporter     ${u.exporter}/metrics   (pid ${pid('exporter')}; the Redis queue exporter)`,
      `  postgres     ${u.postgresExporter}/metrics   (pid ${pid('postgres-exporter')}; postgres_exporter, job postgres)`,
      `  redis        ${u.redis}   (pid ${pid('redis')})`,
      `  prometheus   ${promPage.url}   (pid ${pid('prometheus')}; ${promPage.note})`,
      `  alertmanager ${amPage.url}   (pid ${pid('alertmanager')}; ${amPage.note})`,
      `  webhook      POST ${u.webhook}   (in this process, pid ${process.pid}; prints each notification as ALERT lines)`,
      `  runbooks     ${u.runbooks}   (every alert's runbook_url, served as HTML by the webhook receiver)`,
      `  database     ${stack.db.url.replace(/\/\/[^@/]*@/, '//***@')} (the worker goes through a proxy on 127.0.0.1:${stack.pgProxy.port}; result and postgres_exporter do not)`,
      `  generated    ${stack.dist}`,
      `  logs         ${stack.dir}/*.log`,
      `  pids: ${stack.pids().join(' ')}`,
      '',
      'Check every dashboard query against it once some traffic has flowed:',
      `  node build/scripts/cli.js verify --prometheus ${u.prometheus} --dist ${stack.dist}`,
      '',
      `Load: ${opts.rate} votes/s. Alert notifications are printed as ALERT lines. Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
  if (opts.exitAfter !== undefined)
    setTimeout(
      () => void shutdown(`--exit-after ${opts.exitAfter}s reached`)?.then(resolveDone),
      opts.exitAfter * 1000,
    ).unref();

  if (opts.faults) {
    say('demo: warming up for 15 s so every rate has data...');
    await sleep(15_000);
    for (const sc of scenarios) {
      if (stopping) break;
      say(`\ndemo: FAULT ${sc.name}: ${sc.description}; expecting ${sc.alerts.map((a) => a.alert).join(', ')}`);
      try {
        const r = await runScenario(stack, sc, { timeoutMs: scenarioTimeoutMs(stack, sc) });
        say(
          `demo: ${sc.name}: ${[...r.fired].map(([a, ms]) => `${a} notified after ${(ms / 1000).toFixed(1)} s`).join(', ')}; resolved after ${[...r.resolved].map(([a, ms]) => `${a} ${(ms / 1000).toFixed(1)} s`).join(', ')}`,
        );
      } catch (e) {
        if (stopping) break;
        say(`demo: ${sc.name}: ${(e as Error).message}`);
        await sc.restore(stack).catch(() => {});
      }
    }
    if (!stopping) say('\ndemo: all fault scenarios done; the stack keeps running until Ctrl-C.');
  }
  await done;
  return 0;
}

main().then(
  (c) => process.exit(c),
  (e: Error) => {
    process.stderr.write(`demo: ${e.message}\n`);
    process.exit(1);
  },
);
