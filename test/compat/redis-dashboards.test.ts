// Compatibility with redis_exporter 1.45 as a tested property (issue 13): a private Redis primary
// and replica with realistic data and traffic, our exporter and the Debian redis_exporter for
// each, and two private Prometheus servers (one per exporter, same job/instance labels). Then
//   1. families: every redis_* family redis_exporter exposes exists in ours, same TYPE, same
//      label names (allow-list.ts names the few that mean nothing for a single Redis);
//   2. series: the same label values (db="db0", role, cmd...) and values on the same scale, so
//      a unit mistake (ms for s) shows;
//   3. dashboards: every Prometheus target of every dashboard in
//      ../shared/corpus/redis-exporter-dashboards/ (and fixtures/), variables expanded as Grafana
//      would for each selection, returns data with ours whenever it does with redis_exporter, and
//      without gaps redis_exporter's graph does not have.
// Needs the compiled exporter (`npm run compile`; `npm test` does it first).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_MISSING } from './allow-list.js';
import { checkDashboard, type DashboardReport, formatRuns, summarize } from './dashboard-check.js';
import { type Family, mergeFamilies, parseExposition } from './exposition.js';
import { compareFamilies, formatProblems, oursOnly } from './families.js';
import {
  type CompatStack,
  closeAndCheck,
  OUR_MAIN,
  type Role,
  SCRAPE_MS,
  startCompatStack,
  waitForSamples,
} from './stack.js';
import { compareValues, type Round } from './values.js';

const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/redis-exporter-dashboards');
/**
 * Our own dashboard in the style of community ones (variable forms and families the corpus does
 * not use: query_result, include-All, an auto interval, replication, AOF, latency spikes), and
 * more folders of dashboard JSON from COMPAT_EXTRA_DASHBOARDS (`:`-separated), for judging
 * community dashboards without copying them into the repository.
 */
const EXTRA = [
  resolve(import.meta.dirname, 'fixtures'),
  ...(process.env.COMPAT_EXTRA_DASHBOARDS ?? '').split(':').filter(Boolean),
];
/** Grafana's usual "Last 5 minutes" and a panel about 1000 points wide. */
const RANGE_MS = 5 * 60_000;
const MAX_DATA_POINTS = 1000;
/** Samples of every target in each Prometheus before the dashboards run: $__rate_interval (4 scrapes) twice over. */
const MIN_SAMPLES = 8;

const log = (line: string) => console.log(`compat: ${line}`);
let stack: CompatStack;
let pids: number[] = [];

beforeAll(async () => {
  if (!existsSync(OUR_MAIN)) throw new Error(`${OUR_MAIN} missing: run \`npm run compile\` first`);
  stack = await startCompatStack(log);
  pids = stack.pids();
}, 60_000);

afterAll(async () => {
  expect(await closeAndCheck(stack, pids)).toEqual([]);
}, 30_000);

async function scrape(url: string): Promise<Map<string, Family>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return parseExposition(await res.text());
}

/**
 * Three rounds per role, each scraping both exporters at the same moment: a family or a series
 * that only some scrapes show (avg TTL, a slowlog entry) is compared on the union, not on luck.
 */
const rounds = new Map<Role, Promise<Round[]>>();
function roundsOf(role: Role): Promise<Round[]> {
  let r = rounds.get(role);
  if (!r) {
    r = (async () => {
      const out: Round[] = [];
      for (let i = 0; i < 3; i++) {
        if (i > 0) await new Promise((res) => setTimeout(res, SCRAPE_MS / 2));
        const [theirs, ours] = await Promise.all([
          scrape(stack.metricsUrl.theirs[role]),
          scrape(stack.metricsUrl.ours[role]),
        ]);
        out.push({ theirs, ours });
      }
      return out;
    })();
    rounds.set(role, r);
  }
  return r;
}

describe('drop-in for redis_exporter 1.45', () => {
  it('exposes every redis_* family redis_exporter does, with the same type and label names', async () => {
    const diffs: string[] = [];
    for (const role of ['primary', 'replica'] as Role[]) {
      const rs = await roundsOf(role);
      const theirs = mergeFamilies(rs.map((r) => r.theirs));
      const ours = mergeFamilies(rs.map((r) => r.ours));
      // Sanity: the peer really answered about a Redis (a broken harness must not pass).
      expect(theirs.get('redis_up')?.samples, `redis_exporter ${role} exposes redis_up`).toBe(1);
      const compared = [...theirs.values()].filter((f) => f.name.startsWith('redis_') && f.samples > 0).length;
      expect(compared, `redis_* families from redis_exporter (${role})`).toBeGreaterThan(80);
      const problems = compareFamilies(theirs, ours, ALLOWED_MISSING);
      const text = formatProblems(`${role} (ours vs redis_exporter)`, compared, problems);
      log(text);
      log(`${role}: ours only: ${oursOnly(theirs, ours).join(' ') || 'none'}`);
      if (problems.length) diffs.push(text);
    }
    expect(diffs.join('\n\n'), 'families redis_exporter exposes that ours lacks or shapes differently').toBe('');
  }, 60_000);

  it('exposes the same series (label values) on the same scale (units) as redis_exporter', async () => {
    const diffs: string[] = [];
    for (const role of ['primary', 'replica'] as Role[]) {
      const { compared, problems } = compareValues(await roundsOf(role), (f) => ALLOWED_MISSING.has(f));
      expect(compared, `series of redis_exporter compared (${role})`).toBeGreaterThan(100);
      const lines = problems.map((p) => `  ${p.kind.padEnd(6)} ${p.family}  ${p.detail}`);
      const text = `${role}: ${compared} series of redis_exporter compared, ${problems.length ? `${problems.length} series or scale difference(s)\n${lines.join('\n')}` : 'same label values, same scales'}`;
      log(text);
      if (problems.length) diffs.push(text);
    }
    expect(diffs.join('\n\n'), 'series redis_exporter exposes that ours lacks, or values on another scale').toBe('');
  }, 60_000);

  it('every dashboard target with data from redis_exporter has data from ours', async () => {
    await waitForSamples(stack, MIN_SAMPLES);
    const jsonIn = (dir: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(dir, f));
    const corpus = jsonIn(CORPUS);
    expect(corpus.length, `dashboards in ${CORPUS}`).toBeGreaterThan(0);
    const files = [...corpus, ...EXTRA.flatMap(jsonIn)];
    const timing = { rangeMs: RANGE_MS, scrapeMs: SCRAPE_MS, maxDataPoints: MAX_DATA_POINTS, toMs: Date.now() };
    const reports: DashboardReport[] = [];
    for (const f of files) {
      const dashboard = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
      reports.push(await checkDashboard(basename(f), dashboard, stack.prom, timing));
    }
    for (const r of reports) {
      const s = summarize([r]);
      log(
        `${r.file}: ${s.targets} targets, ${s.runs} runs; panels with data from redis_exporter ${s.panelsWithData}, ` +
          `blank only with ours ${s.panelsBlankOnlyWithOurs.length}, blank with both ${s.panelsBlankWithBoth.length}` +
          (r.notes.length ? `; ${r.notes.join('; ')}` : ''),
      );
    }
    const s = summarize(reports);
    // Blank with both: expected for the 0.3x-era dashboard (its `addr` label, families renamed
    // since); counted so that a change in the number is visible in the log.
    log(`blank with both: ${s.blankWithBoth.length} runs, ${s.panelsBlankWithBoth.length} panels`);
    if (s.blankWithBoth.length) log(`blank with both:\n${formatRuns(s.blankWithBoth)}`);
    const withBoth = reports
      .flatMap((r) => r.runs)
      .filter((x) => x.verdict.theirs === 'data' && x.verdict.ours === 'data');
    const minRatio = Math.min(...withBoth.map((r) => r.points.ours / Math.max(1, r.points.theirs)));
    log(
      `TOTAL: ${s.panelsWithData} panels with data from redis_exporter, ${s.panelsBlankOnlyWithOurs.length} blank only with ours; ` +
        `${withBoth.length} runs with data from both, ours has at least ${(minRatio * 100).toFixed(0)}% of redis_exporter's points`,
    );
    if (s.blankOnlyWithOurs.length) {
      log(`panels blank only with ours:\n  ${s.panelsBlankOnlyWithOurs.join('\n  ')}`);
      log(`runs blank only with ours:\n${formatRuns(s.blankOnlyWithOurs)}`);
    }
    // Sanity: the harness really found data (a broken expansion or an empty Prometheus must not pass).
    expect(s.panelsWithData, 'panels with data from redis_exporter').toBeGreaterThan(20);
    expect(
      s.blankOnlyWithOurs.map((r) => `${r.target.where} [${r.selection}]: ${r.verdict.ours}`),
      'targets with data from redis_exporter and none from ours',
    ).toEqual([]);
    if (s.gappyWithOurs.length) log(`gaps only with ours:\n${formatRuns(s.gappyWithOurs)}`);
    expect(
      s.gappyWithOurs.map((r) => `${r.target.where} [${r.selection}]: ${r.points.ours} of ${r.points.theirs} points`),
      'targets whose graph has gaps with ours and not with redis_exporter',
    ).toEqual([]);
  }, 60_000);
});
