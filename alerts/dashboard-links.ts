/**
 * Panel ids for `dashboard_url ...?viewPanel=<id>`, read from the dashboards the mixin generates
 * (ids are assigned there in layout order), so a link follows the dashboard when panels move.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import type { DashboardKey } from '../dashboards/defaults.js';
import { allDashboards } from '../dashboards/index.js';
import type { AlertSpec } from './alert-spec.js';
import type { PanelIds } from './conventions.js';

interface PanelLike {
  id?: number;
  title?: string;
  panels?: PanelLike[];
}

export function panelIds(cfg: MixinConfig): PanelIds {
  const out: Record<string, Record<string, number>> = {};
  for (const d of allDashboards(cfg)) {
    const key = String(d.uid).slice(cfg.grafana.uidPrefix.length + 1) as DashboardKey;
    const byTitle: Record<string, number> = {};
    out[key] = byTitle;
    const walk = (p: PanelLike) => {
      if (p.title && p.id !== undefined && byTitle[p.title] === undefined) byTitle[p.title] = p.id;
      (p.panels ?? []).forEach(walk);
    };
    ((d.panels ?? []) as PanelLike[]).forEach(walk);
  }
  return out;
}

/** Alerts whose panel title is not on their dashboard (the link then opens the whole dashboard). */
export function missingPanels(specs: AlertSpec[], panels: PanelIds): AlertSpec[] {
  return specs.filter((s) => s.dashboard.panel && panels[s.dashboard.key]?.[s.dashboard.panel] === undefined);
}
