// A queue's configured type decides which of its panels can ever have data: only a stream has
// consumer groups, and a set or hash has no oldest item. Panels that could only be empty are left
// out, and what is added goes after every other row, so no panel id of any config moves.
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { metrics } from '../config/metrics.js';
import type { QueueInput } from '../config/mixin-config.js';
import { gridFindings } from '../validate/dashboard/grid.js';
import { lintDashboard } from '../validate/dashboard/index.js';
import { allDashboards, overviewDashboard, redisQueueDashboard } from './index.js';
import { MAY_BE_EMPTY } from './panels.js';
import { NO_STREAM_GROUP } from './queries.js';

type P = Record<string, any>;

const GROUPS = 'Stream consumer groups: lag and pending by group';
const panels = (d: { panels?: unknown }): P[] => d.panels as P[];
const titled = (d: { panels?: unknown }, t: string): P | undefined => panels(d).find((p) => p.title === t);
const exprs = (d: { panels?: unknown }): string[] =>
  panels(d)
    .filter((p) => p.type !== 'row')
    .flatMap((p) => (p.targets as P[]).map((t) => t.expr as string));
const queues = (...qs: QueueInput[]) => defineConfig({ queues: qs });
const scope = 'job=~"$job", instance=~"$instance"';

describe('stream consumer groups panel', () => {
  it('a stream queue: lag and pending by queue, key and group, marked as possibly empty, in a last row', () => {
    const d = redisQueueDashboard(
      queues({ name: 'votes', key: 'votes', type: 'list' }, { name: 'audit', key: 'audit', type: 'stream' }),
    );
    const rows = panels(d).filter((p) => p.type === 'row');
    expect(rows.at(-1)!.title).toBe('Stream consumer groups');
    const p = titled(d, GROUPS)!;
    expect(panels(d).at(-1)).toBe(p);
    expect(p.gridPos.w).toBe(24);
    expect(p.fieldConfig.defaults.noValue).toBe('No stream consumer group');
    // Only the queues that may be streams: the list never has a group.
    expect(p.targets.map((t: P) => t.expr)).toEqual([
      `max by (queue, key, group) (${metrics.redisQueueStreamGroupLag.name}{${scope}, queue="audit"})`,
      `max by (queue, key, group) (${metrics.redisQueueStreamGroupPending.name}{${scope}, queue="audit"})`,
    ]);
    expect(p.targets.map((t: P) => t.legendFormat)).toEqual([
      '{{queue}} › {{key}} › {{group}} lag',
      '{{queue}} › {{key}} › {{group}} pending',
    ]);
    for (const t of p.targets as P[]) expect(t[MAY_BE_EMPTY]).toBe(NO_STREAM_GROUP);
    expect(NO_STREAM_GROUP).toContain(metrics.redisQueueStreamGroupLag.onlyWhen);
    expect(d.description).toContain('stream consumer group');
  });

  it('every panel before the new row keeps the id it has when no queue may be a stream', () => {
    const stream = redisQueueDashboard(
      queues({ name: 'audit', key: 'audit', type: 'stream', processingPattern: 'p:*' }),
    );
    const list = redisQueueDashboard(queues({ name: 'audit', key: 'audit', type: 'list', processingPattern: 'p:*' }));
    const ids = (d: { panels?: unknown }) => panels(d).map((p) => [p.title, p.id]);
    expect(titled(list, GROUPS)).toBeUndefined();
    expect(ids(stream).slice(0, panels(list).length)).toEqual(ids(list));
    expect(panels(stream)).toHaveLength(panels(list).length + 2);
  });

  it('an auto queue may be a stream: included; several queues are one escaped regex', () => {
    const d = redisQueueDashboard(
      queues(
        { name: 'a.b', key: 'a', type: 'stream' },
        { name: 'email', key: 'email:*' },
        { name: 'h', key: 'h', type: 'hash' },
      ),
    );
    expect(titled(d, GROUPS)!.targets[0].expr).toBe(
      `max by (queue, key, group) (${metrics.redisQueueStreamGroupLag.name}{${scope}, queue=~"a\\\\.b|email"})`,
    );
  });

  it('queues all declared list, zset, set or hash: no panel, no row, no stream metric anywhere', () => {
    const cfg = queues(
      { name: 'votes', key: 'votes', type: 'list' },
      { name: 'delayed', key: 'delayed', type: 'zset' },
      { name: 'seen', key: 'seen', type: 'set' },
      { name: 'jobs', key: 'jobs', type: 'hash' },
    );
    const d = redisQueueDashboard(cfg);
    expect(titled(d, GROUPS)).toBeUndefined();
    expect(titled(d, 'Stream consumer groups')).toBeUndefined();
    expect(d.description).not.toContain('stream');
    for (const x of allDashboards(cfg)) for (const e of exprs(x)) expect(e).not.toContain('redis_queue_stream_group');
  });

  it('the default config (one list queue) has none: its dashboard is unchanged', () => {
    const d = redisQueueDashboard(defineConfig());
    expect(titled(d, GROUPS)).toBeUndefined();
    expect(exprs(d).some((e) => e.includes('redis_queue_stream_group'))).toBe(false);
  });
});

describe('oldest item age', () => {
  const cfg = queues(
    { name: 'seen', key: 'seen', type: 'set', processingPattern: 'seen:processing:*' },
    { name: 'jobs', key: 'jobs', type: 'hash' },
    { name: 'votes', key: 'votes', type: 'list', processingPattern: 'votes:processing:*' },
    { name: 'email', key: 'email:*' },
  );
  const age = metrics.redisQueueOldestItemAgeSeconds.name;
  const ageQueues = (d: { panels?: unknown }) =>
    exprs(d)
      .filter((e) => e.includes(`${age}{`))
      .map((e) => /queue="([^"]+)"/.exec(e)![1]);

  it('a set or hash queue has no age target on any dashboard; list and auto queues keep theirs', () => {
    expect(ageQueues(redisQueueDashboard(cfg))).toEqual(['votes', 'email']);
    expect(ageQueues(overviewDashboard(cfg))).toEqual(['votes', 'email']);
    expect(titled(redisQueueDashboard(cfg), 'jobs: oldest item age')).toBeUndefined();
    expect(titled(overviewDashboard(cfg), 'Queue jobs oldest item')).toBeUndefined();
  });

  it('the panels left share the row: length and processing 12 + 12, a lone length 24; the grid stays clean', () => {
    const d = redisQueueDashboard(cfg);
    const w = (t: string) => titled(d, t)!.gridPos.w as number;
    expect([w('seen: length'), w('seen: processing')]).toEqual([12, 12]);
    expect(w('jobs: length')).toBe(24);
    expect([w('votes: length'), w('votes: oldest item age'), w('votes: processing')]).toEqual([8, 8, 8]);
    expect([w('email: length'), w('email: oldest item age')]).toEqual([12, 12]);
    expect(titled(overviewDashboard(cfg), 'Queue jobs length')!.gridPos.w).toBe(6);
    for (const x of allDashboards(cfg)) {
      expect(gridFindings(x as unknown as P), x.title).toEqual([]);
      expect(lintDashboard(x), x.title).toEqual([]);
    }
  });
});
