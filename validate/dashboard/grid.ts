/**
 * Grafana lays panels out on a 24-column grid: `gridPos` {x, y, w, h} in columns and rows, a
 * panel covering columns x..x+w-1 and rows y..y+h-1. A panel that sticks out of the grid or
 * covers another is not where its author put it: Grafana pushes it elsewhere (or clips it).
 *
 * Overlap: Grafana compacts the layout upwards and pushes a colliding panel down, so panels
 * stacked by generators (y = 0, 1, 2... each h high, or a row header at a panel's y) come out in
 * order and are fine. What it cannot keep is two panels that start on the same row and collide:
 * meant side by side, one of them lands below the other. Only that is `dashboard/overlap`.
 *
 * Which panels share a grid: the top-level list (rows' header bars included, one row high) with
 * the panels of expanded rows, which Grafana saves in that list; a collapsed row keeps its
 * panels in its own `panels`, positioned as they will be when it is expanded, so they are checked
 * among themselves. Copies Grafana made for a repeated panel or row (`repeatPanelId`,
 * `repeatedByRow`, `repeatIteration`) are dropped on load and not checked.
 */
import type { Finding } from '../finding.js';
import { isObject, type Json, type PanelRef, panels } from './walk.js';

export const GRID_COLUMNS = 24;

interface Box {
  ref: PanelRef;
  x: number;
  y: number;
  w: number;
  h: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** PanelModel's defaults for a gridPos field left out. */
const DEFAULTS = { x: 0, y: 0, w: 6, h: 3 } as const;

function box(ref: PanelRef): Box | undefined {
  const g = ref.panel.gridPos;
  if (!isObject(g)) return undefined;
  const isRow = ref.panel.type === 'row';
  return {
    ref,
    x: num(g.x) ?? DEFAULTS.x,
    y: num(g.y) ?? DEFAULTS.y,
    // A row header always spans the width, one row high, whatever its gridPos says.
    w: isRow ? GRID_COLUMNS : (num(g.w) ?? DEFAULTS.w),
    h: isRow ? 1 : (num(g.h) ?? DEFAULTS.h),
  };
}

const isCopy = (p: Json): boolean =>
  p.repeatPanelId !== undefined || p.repeatedByRow !== undefined || p.repeatIteration !== undefined;

function label(r: PanelRef): string {
  const title = typeof r.panel.title === 'string' && r.panel.title ? JSON.stringify(r.panel.title) : '(untitled)';
  return typeof r.panel.id === 'number' ? `${title} (id ${r.panel.id})` : title;
}

function bounds(b: Box): string | undefined {
  const g = b.ref.panel.gridPos as Json;
  if (b.ref.panel.type !== 'row') {
    if (num(g.w) !== undefined && b.w < 1) return `width w=${b.w}: a panel is at least 1 column wide`;
    if (num(g.h) !== undefined && b.h < 1) return `height h=${b.h}: a panel is at least 1 row high`;
  }
  if (b.x < 0) return `x=${b.x} is left of the grid (columns 0 to ${GRID_COLUMNS - 1})`;
  if (b.y < 0) return `y=${b.y} is above the grid`;
  if (b.ref.panel.type !== 'row' && b.x + b.w > GRID_COLUMNS)
    return `x=${b.x} + w=${b.w} = ${b.x + b.w}: the grid is ${GRID_COLUMNS} columns wide`;
  return undefined;
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function checkGroup(boxes: Box[], out: Finding[]): void {
  for (const b of boxes) {
    const why = bounds(b);
    if (why)
      out.push({
        id: 'dashboard/grid',
        severity: 'error',
        message: `panel ${label(b.ref)} is outside Grafana's ${GRID_COLUMNS}-column grid: ${why}`,
        path: [...b.ref.path, 'gridPos'],
        context: b.ref.context,
      });
  }
  const cells = boxes.filter((b) => b.ref.panel.type !== 'row');
  for (let i = 0; i < cells.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = cells[j]!;
      const b = cells[i]!;
      if (a.y !== b.y || !overlaps(a, b)) continue;
      out.push({
        id: 'dashboard/overlap',
        severity: 'error',
        message: `panel ${label(b.ref)} at x=${b.x} y=${b.y} w=${b.w} h=${b.h} overlaps ${label(a.ref)} at x=${a.x} y=${a.y} w=${a.w} h=${a.h}: both start on row ${b.y}, so Grafana pushes one below the other`,
        path: [...b.ref.path, 'gridPos'],
        context: b.ref.context,
      });
      break;
    }
  }
}

/**
 * `dashboard/grid` and `dashboard/overlap` findings for one dashboard. Panels share a grid when
 * they sit in the same list: the top-level `panels`, or one row's `panels`.
 */
export function gridFindings(d: Json): Finding[] {
  const groups = new Map<string, Box[]>();
  for (const ref of panels(d)) {
    // Legacy `rows` panels have no grid position yet: Grafana derives it from their `span`.
    const b = isCopy(ref.panel) || ref.legacyRow ? undefined : box(ref);
    if (!b) continue;
    const key = JSON.stringify(ref.path.slice(0, -1));
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const out: Finding[] = [];
  for (const boxes of groups.values()) checkGroup(boxes, out);
  return out;
}
