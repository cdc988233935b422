// `verify` tells a healthy stack from a broken one, on the real stack (issue 12): after a minute of
// gentle traffic in compressed time (as the demo runs) it exits 0 with no finding at all — what
// is empty because nothing is wrong (no 5xx, nothing down, no alert firing) is quiet — and with
// the worker killed it reports the worker's empty panels and rules and exits 1.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '../../config/metrics.js';
import { sel } from '../../config/promql.js';
import { compressedOverrides } from '../../scripts/dev/stack/faults.js';
import { type LoadGenerator, startLoad } from '../../scripts/dev/stack/load.js';
import { Stack } from '../../scripts/dev/stack/stack.js';
import { isAlive, sleep, waitFor } from '../support/index.js';
import { runVerify } from './verify-run.js';

let stack: Stack;
let load: LoadGenerator;
let pids: number[] = [];
const progress = (line: string) => console.log(`e2e verify-healthy: ${line}`);

const verify = (...extra: string[]) => runVerify(stack, ...extra);

beforeAll(async () => {
  progress('starting the stack');
  stack = await Stack.start({ interval: '1s', overrides: compressedOverrides('1s') });
  pids = stack.pids();
  progress('stack up; 60 s of gentle traffic (5 votes/s)');
  load = startLoad({
    urls: stack.urls.vote,
    resultUrl: stack.urls.result,
    votesPerSecond: 5,
    options: ['cats', 'dogs'],
  });
  await sleep(60_000);
}, 120_000);

afterAll(async () => {
  await load?.stop();
  await stack?.stop();
  // Nothing left behind: every process group the stack started is gone.
  for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  if (stack) expect(existsSync(stack.dir), stack.dir).toBe(false);
}, 60_000);

describe('verify over the real stack', () => {
  it('healthy: exit 0, no finding; what is empty because nothing is wrong is quiet', async () => {
    expect(load.stats.server5xx).toBe(0);
    const r = await verify();
    progress(`healthy: ${r.stderr.trim().split('\n').at(-1)}\n${r.show}`);
    expect(r.report.stats.panelTargets, r.stderr).toBeGreaterThan(30);
    expect(r.report.stats.rules).toBeGreaterThan(20);
    expect(r.report.findings, r.show).toEqual([]);
    expect(r.code, r.show).toBe(0);
    // Quiet, with the reason, rather than silently dropped: the stream metrics (this stack's queue
    // is a list) are only expected in other set-ups.
    const quiet = r.report.stats.quiet.map((q) => `${q.context}: ${q.reason}`);
    expect(quiet, r.show).toContain(
      `catalog metric ${metrics.redisQueueStreamGroupLag.name} (exporter): expected only when a queue is a Redis stream with consumer groups`,
    );
    for (const q of r.report.stats.quiet) expect(q.reason, q.context).not.toBe('');
  }, 60_000);

  it('worker killed: its panels and rules are findings, exit 1', async () => {
    const workerUp = sel(metrics.up, {}, stack.cfg.selectors.worker);
    await stack.proc('worker').kill();
    await waitFor('Prometheus to see the worker down', async () => (await stack.query(`${workerUp} == 0`)).length > 0);
    // A look-back shorter than the time since the kill, so the worker's samples from before it do
    // not count; the 4 s rate windows empty within that time too.
    await sleep(12_000);
    const r = await verify('--lookback', '8s');
    progress(`worker killed: ${r.stderr.trim().split('\n').at(-1)}\n${r.show}`);
    expect(r.code, r.show).toBe(1);
    const errors = r.report.findings.filter((f) => f.severity === 'error');
    const worker = errors.filter((f) => f.message.includes('worker'));
    const ids = new Set(worker.map((f) => f.id));
    expect(ids, r.show).toContain('verify/empty-panel');
    // The worker's metrics are named as what matches nothing, not explained away as quiet.
    expect(
      worker.some((f) => f.message.includes(metrics.workerVotesProcessedTotal.name)),
      r.show,
    ).toBe(true);
    expect(
      r.report.stats.quiet.some((q) => q.reason.includes(metrics.workerVotesProcessedTotal.name)),
      r.show,
    ).toBe(false);
    // Only what the worker feeds is reported: the vote service's panels still have data.
    expect(
      errors.filter((f) => f.context?.startsWith('dashboard "Voting / Vote service"')),
      r.show,
    ).toEqual([]);
  }, 60_000);
});
