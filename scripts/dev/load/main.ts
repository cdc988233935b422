#!/usr/bin/env node
/**
 * `npm run load -- --scenario normal|flash --url URL[,URL…]`: the original load plan's scenarios
 * against any running vote service (the demo, Compose, a deployment): closed-loop users POSTing
 * votes, a progress line once a second on stderr, a summary table on stdout. Exit 0 when the
 * failures stayed within --max-error-pct, 1 when they did not (the summary says which kinds),
 * 2 for a usage mistake (one line), as every program here.
 */
import { type FlagSpecs, flagTable, isEntryPoint, parseFlags, UsageError } from '../../../runtime/index.js';
import { type LoadSummary, type Progress, runLoad } from './run.js';
import { formatSummary } from './summary.js';
import { probeTarget } from './target.js';

const DEFAULT_OPTIONS = ['cats', 'dogs'];

/** The original load plan's scenarios: concurrent users, each a closed loop. */
export const SCENARIOS = {
  normal: { users: 50, what: 'a normal day' },
  flash: { users: 300, what: 'a flash sale' },
} as const;
type Scenario = keyof typeof SCENARIOS;

export const loadFlags = {
  scenario: {
    kind: 'string',
    choices: Object.keys(SCENARIOS),
    arg: 'NAME',
    help: `normal (${SCENARIOS.normal.users} users) or flash (${SCENARIOS.flash.users} users)`,
  },
  url: { kind: 'list', arg: 'URL[,URL…]', help: 'vote instance(s); users are spread over them' },
  duration: { kind: 'duration', default: 30_000, min: 1_000, max: 3_600_000, help: 'how long to load' },
  options: {
    kind: 'list',
    arg: 'A,B',
    help: `vote options, taken in turn (default: the buttons of the first URL's page, else ${DEFAULT_OPTIONS.join(',')})`,
  },
  users: { kind: 'int', min: 1, max: 10_000, arg: 'N', help: "concurrent users instead of the scenario's" },
  timeout: { kind: 'duration', default: 10_000, min: 100, help: 'an answer later than this is a timeout' },
  maxErrorPct: {
    kind: 'number',
    default: 0,
    min: 0,
    max: 100,
    arg: 'PCT',
    help: 'failures (non-2xx, timeouts, connection errors) tolerated, % of attempts, before exit 1',
  },
} satisfies FlagSpecs;

const HELP = `Usage: npm run load -- --scenario normal|flash --url URL[,URL…] [options]

Loads running vote service(s) with the original load plan's scenarios: each user is a closed loop
(POST /vote {"option": …}, the next vote as soon as the answer arrives, no voter cookie, so each
vote is a new voter). Progress once a second on stderr; a summary table on stdout.

Options:
${flagTable(loadFlags)}

Exit codes: 0 ok; 1 failures above --max-error-pct (the summary lists them by kind: HTTP status,
timeout, connection error), no vote accepted, or a URL not answering GET / before the start;
2 usage mistake.
`;

export interface LoadIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Progress overwrites one line on a terminal; elsewhere (CI logs) it is one line per second. */
  isTTY: boolean;
}

function checkUrls(urls: readonly string[]): string[] {
  if (urls.length === 0) throw new UsageError('--url is required (the vote service, e.g. http://localhost:8080)');
  return urls.map((u) => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new UsageError(`--url: "${u}" is not a URL (http://host:port)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new UsageError(`--url: "${u}" must be http:// or https://`);
    }
    if (parsed.pathname !== '/' || parsed.search) {
      throw new UsageError(`--url: "${u}" must be the service's root (POST /vote is added)`);
    }
    return parsed.origin;
  });
}

/** Failures as a share of attempts (answers of any status and requests that got none), %. */
export const errorPct = (s: LoadSummary): number => (s.attempts === 0 ? 100 : (s.errorCount / s.attempts) * 100);

/** Runs the command; resolves to its exit code. */
export async function loadMain(argv: readonly string[], io: LoadIO): Promise<number> {
  let flags: ReturnType<typeof parseFlags<typeof loadFlags>>['values'];
  let urls: string[];
  try {
    const parsed = parseFlags(loadFlags, argv);
    if (parsed.help) {
      io.stdout(HELP);
      return 0;
    }
    flags = parsed.values;
    if (flags.scenario === undefined) throw new UsageError('--scenario is required: normal or flash');
    urls = checkUrls(flags.url ?? []);
    if (flags.options?.length === 0) throw new UsageError('--options needs at least one option');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`load: ${e.message}\nRun with --help for usage.\n`);
    return 2;
  }
  const scenario = flags.scenario as Scenario;
  const users = flags.users ?? SCENARIOS[scenario].users;
  const seconds = Math.round(flags.duration / 1000);
  const name = `${scenario} (${SCENARIOS[scenario].what})`;
  let options = flags.options;
  try {
    const offered = await Promise.all(urls.map((u) => probeTarget(u, flags.timeout)));
    for (const [i, page] of offered.entries()) {
      // A page without vote buttons is not a vote service (a result page, a load balancer's
      // default page): every vote would be a 404 for the whole duration.
      if (page.length === 0 && flags.options === undefined)
        throw new Error(`${urls[i]}/ shows no vote options: is it the vote service? (--options A,B to load it anyway)`);
      // Said before the load, not refused: loading with a refused option is a way to test 400s.
      const foreign = (flags.options ?? []).filter((o) => page.length > 0 && !page.includes(o));
      if (foreign.length)
        io.stderr(
          `load: warning: --options ${foreign.join(', ')} not offered by ${urls[i]}/ (it offers ${page.join(', ')}): those votes will be refused\n`,
        );
    }
    options ??= offered[0]!.length > 0 ? offered[0]! : DEFAULT_OPTIONS;
  } catch (e) {
    io.stderr(`load: ${(e as Error).message}\n`);
    return 1;
  }
  io.stderr(`load: ${name}, ${users} users over ${urls.join(', ')} for ${seconds}s, options ${options.join(',')}\n`);
  const progress = (p: Progress): void => {
    const line = `load: ${p.elapsed}s/${seconds}s  ${p.votesPerSecond.toLocaleString('en-US')} votes/s  errors ${p.errors.toLocaleString('en-US')}`;
    io.stderr(io.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  };
  let s: LoadSummary;
  try {
    s = await runLoad({
      urls,
      users,
      seconds,
      options,
      timeoutSeconds: flags.timeout / 1000,
      onSecond: progress,
    });
  } catch (e) {
    if (io.isTTY) io.stderr('\n');
    io.stderr(`load: ${(e as Error).message}\n`);
    return 1;
  }
  if (io.isTTY) io.stderr('\n');
  const pct = errorPct(s);
  const ok = s.accepted > 0 && pct <= flags.maxErrorPct;
  io.stdout(formatSummary(s, { scenario: name, urls, errorPct: pct, maxErrorPct: flags.maxErrorPct }));
  if (!ok) {
    const kinds = Object.entries(s.errors)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ');
    io.stderr(
      s.accepted === 0
        ? `load: no vote accepted${kinds ? ` (${kinds})` : ''}\n`
        : `load: failures ${pct.toFixed(2)} % of attempts, above --max-error-pct ${flags.maxErrorPct}: ${kinds}\n`,
    );
  }
  return ok ? 0 : 1;
}

if (isEntryPoint(import.meta.url)) {
  loadMain(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`load: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
