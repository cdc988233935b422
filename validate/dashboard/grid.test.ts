// The grid and overlap checks on the layouts Grafana really saves: top-level panels with row
// headers, expanded rows (their panels follow them in the top list), collapsed rows (their panels
// inside the row, laid out when it opens), repeated panels and rows, and generator-style stacking.
import { describe, expect, it } from 'vitest';
import { gridFindings } from './grid.js';

type P = Record<string, unknown>;
const panel = (id: number, x: number, y: number, w: number, h: number, more: P = {}): P => ({
  type: 'timeseries',
  id,
  title: `p${id}`,
  gridPos: { x, y, w, h },
  ...more,
});
const row = (id: number, y: number, more: P = {}): P => ({
  type: 'row',
  id,
  title: `r${id}`,
  gridPos: { x: 0, y, w: 24, h: 1 },
  collapsed: false,
  panels: [],
  ...more,
});
const ids = (panels: P[]) => gridFindings({ panels }).map((f) => f.id);

describe('dashboard/grid', () => {
  it('accepts a full line of 24 columns and reports x + w > 24, x < 0, w < 1', () => {
    expect(ids([panel(1, 0, 0, 12, 8), panel(2, 12, 0, 12, 8)])).toEqual([]);
    expect(ids([panel(1, 20, 0, 8, 8)])).toEqual(['dashboard/grid']);
    expect(ids([panel(1, -1, 0, 8, 8)])).toEqual(['dashboard/grid']);
    expect(ids([panel(1, 0, 0, 0, 8)])).toEqual(['dashboard/grid']);
    const [f] = gridFindings({ panels: [panel(7, 20, 9, 8, 8)] });
    expect(f).toMatchObject({ severity: 'error', path: ['panels', 0, 'gridPos'] });
    expect(f!.message).toContain('x=20 + w=8 = 28');
  });

  it('checks the panels inside a collapsed row too', () => {
    expect(ids([row(1, 0, { collapsed: true, panels: [panel(2, 16, 1, 12, 8)] })])).toEqual(['dashboard/grid']);
  });

  it('leaves panels without gridPos (old rows-format dashboards) to Grafana', () => {
    expect(ids([{ type: 'graph', id: 1, title: 'old' }])).toEqual([]);
  });
});

describe('dashboard/overlap', () => {
  it('reports panels that start on the same row and collide', () => {
    expect(ids([panel(1, 0, 0, 12, 8), panel(2, 8, 0, 12, 8)])).toEqual(['dashboard/overlap']);
    // Identical positions (a copy-paste).
    expect(ids([panel(1, 0, 4, 6, 4), panel(2, 0, 4, 6, 4)])).toEqual(['dashboard/overlap']);
  });

  it('accepts side-by-side and stacked panels, and generator-style stacking Grafana compacts in order', () => {
    expect(ids([panel(1, 0, 0, 12, 8), panel(2, 12, 0, 12, 8), panel(3, 0, 8, 24, 8)])).toEqual([]);
    // kube-prometheus multicluster: y = 1, 2, 3 with h = 7, each pushed below the one before.
    expect(ids([panel(1, 0, 1, 24, 7), panel(2, 0, 2, 24, 7), panel(3, 0, 3, 24, 7)])).toEqual([]);
  });

  it('does not count row headers, which panels at the same y follow', () => {
    expect(ids([row(1, 16), panel(2, 0, 16, 24, 7), row(3, 23), panel(4, 0, 24, 8, 7)])).toEqual([]);
  });

  it('checks expanded rows in the top list, and each collapsed row apart from the top list', () => {
    // Expanded: the row's panels follow it in the top list and share its grid.
    expect(ids([row(1, 0), panel(2, 0, 1, 12, 8), panel(3, 6, 1, 12, 8)])).toEqual(['dashboard/overlap']);
    // Collapsed: its panels may sit where top-level panels are; they collide only with each other.
    const collapsed = row(1, 8, { collapsed: true, panels: [panel(2, 0, 0, 12, 8), panel(3, 12, 0, 12, 8)] });
    expect(ids([panel(10, 0, 0, 24, 8), collapsed])).toEqual([]);
    const clash = row(1, 8, { collapsed: true, panels: [panel(2, 0, 9, 12, 8), panel(3, 6, 9, 12, 8)] });
    expect(gridFindings({ panels: [clash] })).toMatchObject([
      { id: 'dashboard/overlap', path: ['panels', 0, 'panels', 1, 'gridPos'] },
    ]);
  });

  it('skips the copies Grafana saved for repeated panels and rows', () => {
    const source = panel(1, 0, 0, 8, 8, { repeat: 'instance', repeatDirection: 'h' });
    const copy = panel(2, 0, 0, 8, 8, { repeatPanelId: 1 });
    const rowCopy = row(3, 0, { repeatIteration: 1700000000000 });
    const byRow = panel(4, 0, 0, 8, 8, { repeatedByRow: true });
    expect(ids([source, copy, rowCopy, byRow])).toEqual([]);
  });
});
