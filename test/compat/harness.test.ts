// The compatibility harness's own logic, without processes: a wrong expansion or a parser that
// drops families would make redis-dashboards.test.ts pass or fail for the wrong reason.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardTargets, dashboardVariables } from './dashboard.js';
import { summarize, type TargetRun } from './dashboard-check.js';
import { mergeFamilies, parseExposition } from './exposition.js';
import { compareFamilies } from './families.js';
import { builtIns, interpolate, type VarValue } from './interpolate.js';
import type { PromApi } from './prom-api.js';
import { compareValues, sameScale } from './values.js';
import { applyRegex, replay, selections } from './variables.js';

const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/redis-exporter-dashboards');
const single = (value: string): VarValue => ({ value, multi: false, includeAll: false });
const multi = (...value: string[]): VarValue => ({ value, multi: true, includeAll: false });

describe('Grafana interpolation for a Prometheus datasource', () => {
  const scope = new Map<string, VarValue>([
    ['one', single("a.b'c")],
    ['many', multi('10.0.0.1:6379', 'redis-2')],
    ['picked', multi('10.0.0.1:6379')],
    ['all', { value: ['x', 'y'], multi: true, includeAll: true, customAll: '.+' }],
    ['none', single('')],
  ]);

  it('escapes a single value only for the string literal, a multi value as a regex alternation', () => {
    expect(interpolate('up{i="$one"}', scope)).toBe(`up{i="a.b\\\\'c"}`);
    expect(interpolate('up{i=~"$many"}', scope)).toBe('up{i=~"(10\\\\.0\\\\.0\\\\.1:6379|redis-2)"}');
    expect(interpolate('up{i=~"$picked"}', scope)).toBe('up{i=~"10\\\\.0\\\\.0\\\\.1:6379"}');
  });

  it('knows ${var}, [[var]], ${var:format}, a custom All value, None, and leaves unknown names alone', () => {
    expect(interpolate('${many:pipe}|[[many:csv]]|${many:regex}', scope)).toBe(
      '10.0.0.1:6379|redis-2|10.0.0.1:6379,redis-2|(10\\.0\\.0\\.1:6379|redis-2)',
    );
    expect(interpolate('up{i=~"$all"}', scope)).toBe('up{i=~".+"}');
    expect(interpolate('up{ns=~"$none"}', scope)).toBe('up{ns=~""}');
    expect(interpolate('up{x="$unknown", y="${other}"}', scope)).toBe('up{x="$unknown", y="${other}"}');
  });

  it('derives $__interval and $__rate_interval as Grafana does', () => {
    const t = { rangeMs: 300_000, scrapeMs: 1000, maxDataPoints: 1000, toMs: 1_000_000 };
    const expand = (min: string | undefined, factor: number) =>
      interpolate('[$__interval] [$__rate_interval] $__range_s $__interval_ms', builtIns(t, min, factor).scope);
    expect(expand(undefined, 1)).toBe('[1s] [4s] 300 1000');
    expect(expand(undefined, 2)).toBe('[2s] [4s] 300 2000');
    expect(expand('>10s', 1)).toBe('[10s] [11s] 300 10000');
    // A day over 1000 points: 86.4 s, snapped to Grafana's nice 1m, wins over the floor.
    expect(interpolate('$__interval', builtIns({ ...t, rangeMs: 86_400_000 }, undefined, 1).scope)).toBe('1m');
  });

  it("applies a variable's regex like Grafana: first capture group, named value group, filter", () => {
    expect(applyRegex(['redis_up{instance="a:1"} 1 0', 'other'], '/instance="([^"]+)"/')).toEqual(['a:1']);
    expect(applyRegex(['db0', 'db1', 'db0'], '/db(?<value>\\d)/')).toEqual(['0', '1']);
    expect(applyRegex(['a', 'b'], '')).toEqual(['a', 'b']);
    // Without a capture group the regex only filters: the option is kept whole.
    expect(applyRegex(['127.0.0.1:6380', '127.0.0.1:6381', 'redis:1'], '/127\\.0\\.0\\.1/')).toEqual([
      '127.0.0.1:6380',
      '127.0.0.1:6381',
    ]);
  });
});

describe('dashboard walking', () => {
  it('finds the targets of the pre-5.0 rows schema', () => {
    const old = {
      title: 'old',
      rows: [
        { title: 'r', panels: [{ id: 7, title: 'p', targets: [{ refId: 'A', expr: 'redis_up{addr="$addr"}' }] }] },
      ],
      templating: { list: [{ name: 'addr', type: 'query', query: 'label_values(redis_up, addr)', multi: false }] },
    };
    expect(dashboardTargets(old).map((t) => [t.where, t.expr])).toEqual([
      ['old › p (#7) › A', 'redis_up{addr="$addr"}'],
    ]);
    expect(dashboardVariables(old).map((v) => [v.name, v.query, v.multi])).toEqual([
      ['addr', 'label_values(redis_up, addr)', false],
    ]);
  });

  it("counts every target of the corpus's mixin dashboard (rows of panels, a newer variable object)", () => {
    const d = JSON.parse(readFileSync(`${CORPUS}/redis-mixin-dashboards-redis-overview.json`, 'utf8'));
    expect(dashboardTargets(d).length).toBe(16);
    expect(dashboardVariables(d).map((v) => [v.name, v.type, v.multi])).toEqual([
      ['instance', 'query', true],
      ['datasource', 'datasource', false],
    ]);
  });

  it('walks collapsed rows, skips hidden targets and other datasources', () => {
    const d = {
      title: 'd',
      panels: [
        { type: 'row', id: 1, panels: [{ id: 2, title: 'inner', targets: [{ refId: 'A', expr: 'up' }] }] },
        {
          id: 3,
          title: 'mixed',
          targets: [
            { refId: 'A', expr: 'hidden', hide: true },
            { refId: 'B', expr: 'loki', datasource: { type: 'loki', uid: 'l' } },
            { refId: 'C', expr: 'rate(x[$__rate_interval])', interval: '>5s', intervalFactor: 2, instant: true },
          ],
        },
      ],
    };
    expect(dashboardTargets(d).map((t) => [t.where, t.minInterval, t.intervalFactor, t.instant, t.range])).toEqual([
      ['d › inner (#2) › A', undefined, 1, false, true],
      ['d › mixed (#3) › C', '>5s', 2, true, false],
    ]);
  });
});

describe('exposition families', () => {
  const theirs = parseExposition(
    [
      '# TYPE redis_lat summary',
      'redis_lat{cmd="get",quantile="0.5"} 1',
      'redis_lat_sum{cmd="get"} 2',
      'redis_lat_count{cmd="get"} 3',
      '# TYPE redis_info gauge',
      'redis_info{os="Linux \\"x\\", y",role="master"} 1',
      'redis_untyped 4',
      '# TYPE redis_declared_only gauge',
    ].join('\n'),
  );

  it('groups a summary with its _sum and _count, reads escaped label values, keeps untyped samples', () => {
    expect([...theirs.values()].map((f) => [f.name, f.type, [...f.labels].sort(), f.samples])).toEqual([
      ['redis_lat', 'summary', ['cmd', 'quantile'], 3],
      ['redis_info', 'gauge', ['os', 'role'], 1],
      ['redis_untyped', 'untyped', [], 1],
      ['redis_declared_only', 'gauge', [], 0],
    ]);
  });

  it('reports a family ours lacks, types and label names that differ, and honours the allow-list', () => {
    const ours = mergeFamilies([
      parseExposition('# TYPE redis_lat gauge\nredis_lat{cmd="get"} 1\n# TYPE redis_info gauge\nredis_info{os="l"} 1'),
    ]);
    const problems = compareFamilies(theirs, ours, new Map([['redis_untyped', 'why']]));
    expect(problems.map((p) => [p.kind, p.family])).toEqual([
      ['labels', 'redis_info'],
      ['type', 'redis_lat'],
      ['labels', 'redis_lat'],
    ]);
    expect(compareFamilies(theirs, ours, new Map()).map((p) => p.family)).toContain('redis_untyped');
  });
});

describe('series and scales', () => {
  it('tells a unit mistake from two reads a few ms apart', () => {
    expect(sameScale(0.0042, 0.0051)).toBe(true); // durations moving between two INFO calls
    expect(sameScale(1_000_120, 1_000_480)).toBe(true); // a counter that moved
    expect(sameScale(0, 0.3)).toBe(true);
    expect(sameScale(0.0042, 4.2)).toBe(false); // ms written as seconds
    expect(sameScale(134_217_728, 131_072)).toBe(false); // KiB written as bytes
    expect(sameScale(0, 134_217_728)).toBe(false); // a field read as 0
    expect(sameScale(Number.POSITIVE_INFINITY, 1)).toBe(false);
  });

  it('reports a label value and a scale that differ in every round, not in one', () => {
    const expo = (db: string, ttl: number) =>
      parseExposition(
        `# TYPE redis_db_keys gauge\nredis_db_keys{db="${db}"} 5\n# TYPE redis_db_avg_ttl_seconds gauge\nredis_db_avg_ttl_seconds{db="db0"} ${ttl}`,
      );
    const theirs = expo('db0', 12.5);
    const once = [
      { theirs, ours: expo('db0', 12.5) },
      { theirs, ours: expo('db0', 12_500) },
    ];
    expect(compareValues(once, () => false).problems).toEqual([]);
    const always = [
      { theirs, ours: expo('0', 12_500) },
      { theirs, ours: expo('0', 12_400) },
    ];
    expect(compareValues(always, () => false).problems.map((p) => [p.kind, p.family])).toEqual([
      ['scale', 'redis_db_avg_ttl_seconds'],
      ['series', 'redis_db_keys'],
    ]);
  });

  it('compares a summary on the sum of its series: one quantile in the next bucket is no unit mistake', () => {
    const lat = (get50: number, scale: number) =>
      parseExposition(
        `# TYPE redis_lat summary\nredis_lat{cmd="get",quantile="50"} ${get50 * scale}\nredis_lat{cmd="info",quantile="50"} ${68.095 * scale}`,
      );
    const round = (get50: number, scale: number) => ({ theirs: lat(0.001, 1), ours: lat(get50, scale) });
    expect(compareValues([round(1.003, 1), round(1.003, 1)], () => false).problems).toEqual([]);
    expect(compareValues([round(0.001, 1000), round(0.001, 1000)], () => false).problems.map((p) => p.kind)).toEqual([
      'scale',
    ]);
  });
});

describe('variable selections', () => {
  // Custom and interval variables need no Prometheus: none is called.
  const noPrometheus = {} as PromApi;
  const w = { startS: 0, endS: 300 };
  const custom = (name: string, query: string, includeAll = false) =>
    dashboardVariables({ templating: { list: [{ name, type: 'custom', query, includeAll }] } })[0]!;

  it('tries every combination while they are few, and each choice at least once beyond that', async () => {
    const few = await selections(noPrometheus, [custom('a', 'x,y'), custom('b', 'p,q', true)], new Map(), w, 300_000);
    expect(few.covering).toBe(false);
    expect(few.selections.map((s) => s.key)).toEqual([
      'a=x b=p',
      'a=x b=q',
      'a=x b=All',
      'a=y b=p',
      'a=y b=q',
      'a=y b=All',
    ]);
    const dbs = Array.from({ length: 16 }, (_, i) => `db${i}`).join(',');
    const many = await selections(noPrometheus, [custom('i', 'p,r', true), custom('db', dbs)], new Map(), w, 300_000);
    expect(many.covering).toBe(true);
    const seen = many.selections.flatMap((s) => s.picks);
    for (const choice of ['p', 'r', 'All', ...dbs.split(',')]) expect(seen).toContain(choice);
  });

  it("expands an interval variable's auto value as Grafana does, and replays picks elsewhere", async () => {
    const iv = dashboardVariables({
      templating: {
        list: [{ name: 'iv', type: 'interval', query: '1m,5m', auto: true, current: { value: '$__auto_interval_iv' } }],
      },
    })[0]!;
    const [s] = (await selections(noPrometheus, [iv], new Map(), w, 300_000)).selections;
    expect(interpolate('rate(x[$iv]) [$__auto_interval_iv]', s!.scope)).toBe('rate(x[10s]) [10s]');
    const again = await replay(noPrometheus, [custom('a', 'x,y')], new Map(), w, 300_000, ['y']);
    expect('missing' in again ? again.missing : again.key).toBe('a=y');
    const missing = await replay(noPrometheus, [custom('a', 'x,y')], new Map(), w, 300_000, ['z']);
    expect(missing).toEqual({ missing: 'a=z (offered: x, y)' });
  });

  it('replays a variable chosen by value (query_result of a topk) by its position, not its label', async () => {
    // Two exporters of one Redis: the top commands tie, and each Prometheus lists them in its own order.
    const top = (...cmds: string[]) =>
      ({
        instant: async () => ({
          ok: true,
          series: cmds.map((cmd, i) => ({ metric: { cmd }, values: [[1, String(10 - i)]] })),
        }),
      }) as unknown as PromApi;
    const [cmd] = dashboardVariables({
      templating: {
        list: [{ name: 'cmd', type: 'query', query: 'query_result(topk(2, x))', regex: '/cmd="([^"]+)"/' }],
      },
    });
    const theirs = (await selections(top('lpush', 'get'), [cmd!], new Map(), w, 300_000)).selections;
    expect(theirs.map((s) => s.picks)).toEqual([['lpush'], ['get']]);
    const again = await replay(
      top('set', 'del'),
      [cmd!],
      new Map(),
      w,
      300_000,
      theirs[1]!.picks,
      theirs[1]!.positions,
    );
    expect('missing' in again ? again.missing : again.key).toBe('cmd=del');
    // A variable from label_values still fails on a label ours lacks: that is a missing series.
    const lv = dashboardVariables({ templating: { list: [{ name: 'i', type: 'custom', query: 'x,y' }] } })[0]!;
    expect(await replay(noPrometheus, [lv], new Map(), w, 300_000, ['z'], [0])).toEqual({
      missing: 'i=z (offered: x, y)',
    });
  });
});

describe('dashboard verdicts', () => {
  const [target] = dashboardTargets({
    title: 'd',
    panels: [{ id: 1, title: 'p', targets: [{ refId: 'A', expr: 'x' }] }],
  });
  const run = (theirs: TargetRun['verdict']['theirs'], ours: TargetRun['verdict']['ours'], pt: number, po: number) =>
    ({
      target: target!,
      selection: 's',
      expr: { ours: 'x', theirs: 'x' },
      verdict: { theirs, ours },
      points: { theirs: pt, ours: po },
    }) satisfies TargetRun;

  it('counts blank only with ours, blank with both, and a graph with gaps only with ours', () => {
    const s = summarize([
      {
        file: 'f',
        title: 't',
        notes: [],
        runs: [
          run('data', 'empty', 100, 0),
          run('empty', 'empty', 0, 0),
          run('data', 'error: bad', 100, 0),
          run('data', 'data', 100, 98),
          run('data', 'data', 100, 50),
        ],
      },
    ]);
    expect([s.blankOnlyWithOurs.length, s.blankWithBoth.length, s.gappyWithOurs.length]).toEqual([2, 1, 1]);
    expect(s.gappyWithOurs[0]!.points).toEqual({ theirs: 100, ours: 50 });
    expect([s.panelsWithData, s.panelsBlankOnlyWithOurs]).toEqual([1, ['d › p (#1)']]);
  });
});
