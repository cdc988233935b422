/**
 * Shared panel presets on the foundation SDK. Every preset takes a unit from the catalog's closed
 * `Unit` set and a description, so a panel without either cannot be written. Datasources, panel
 * ids and refIds are left to the post-pass in defaults.ts, which sets them once for all panels.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { Unit } from '../config/metrics.js';

export type PanelBuilder = cog.Builder<dashboard.Panel>;

/** One PromQL target: the expression and how its series are named in the legend. */
export interface Query {
  expr: string;
  legend?: string;
  /** Instant query (stat and table panels showing "now"). */
  instant?: boolean;
  format?: 'time_series' | 'table';
}

export interface PanelOptions {
  title: string;
  description: string;
  unit: Unit;
  queries: Query[];
  /** Grid width (of 24) and height; defaults depend on the visualisation. */
  w?: number;
  h?: number;
  min?: number;
  max?: number;
  decimals?: number;
  thresholds?: dashboard.Threshold[];
  /** Links to other dashboards from the panel header. */
  links?: Array<{ title: string; url: string }>;
  mappings?: dashboard.ValueMapping[];
}

/** Threshold steps `[base, [value, colour]...]`; the base step has a null value as Grafana expects. */
export function steps(base: string, ...rest: Array<[number, string]>): dashboard.Threshold[] {
  return [{ value: null as unknown as number, color: base }, ...rest.map(([value, color]) => ({ value, color }))];
}

/** Green below `warning`, orange from it, red from `critical` — the usual "higher is worse" scale. */
export const higherIsWorse = (warning: number, critical: number): dashboard.Threshold[] =>
  steps('green', [warning, 'orange'], [critical, 'red']);

/** Red below `critical`, orange below `warning`, green above — for "lower is worse" values. */
export const lowerIsWorse = (critical: number, warning: number): dashboard.Threshold[] =>
  steps('red', [critical, 'orange'], [warning, 'green']);

/** 1 → UP (green), 0 → DOWN (red). */
export const upDownMappings: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      '0': { text: 'DOWN', color: 'red', index: 0 },
      '1': { text: 'UP', color: 'green', index: 1 },
    },
  },
];

function promTarget(q: Query): prometheus.DataqueryBuilder {
  const t = new prometheus.DataqueryBuilder().expr(q.expr).legendFormat(q.legend ?? '__auto');
  if (q.instant) t.instant();
  else t.range();
  if (q.format === 'table') t.format(prometheus.PromQueryFormat.Table);
  return t;
}

function thresholdsOf(o: PanelOptions): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(o.thresholds ?? steps('green'));
}

interface Common {
  title(t: string): unknown;
  description(d: string): unknown;
  unit(u: string): unknown;
  height(h: number): unknown;
  span(w: number): unknown;
  withTarget(t: cog.Builder<cog.Dataquery>): unknown;
  thresholds(t: cog.Builder<dashboard.ThresholdsConfig>): unknown;
  min(n: number): unknown;
  max(n: number): unknown;
  decimals(n: number): unknown;
  mappings(m: dashboard.ValueMapping[]): unknown;
  links(l: cog.Builder<dashboard.DashboardLink>[]): unknown;
}

function applyCommon<B extends Common>(b: B, o: PanelOptions, w: number, h: number): B {
  b.title(o.title);
  b.description(o.description);
  b.unit(o.unit);
  b.span(o.w ?? w);
  b.height(o.h ?? h);
  b.thresholds(thresholdsOf(o));
  if (o.min !== undefined) b.min(o.min);
  if (o.max !== undefined) b.max(o.max);
  if (o.decimals !== undefined) b.decimals(o.decimals);
  if (o.mappings) b.mappings(o.mappings);
  if (o.links)
    b.links(
      o.links.map((l) => new dashboard.DashboardLinkBuilder(l.title).url(l.url).type(dashboard.DashboardLinkType.Link)),
    );
  for (const q of o.queries) b.withTarget(promTarget(q));
  return b;
}

/** A time series; thresholds, when given, are drawn as dashed lines with shaded areas. */
export function timeSeries(o: PanelOptions & { stack?: boolean }): timeseries.PanelBuilder {
  const b = applyCommon(new timeseries.PanelBuilder(), o, 12, 8)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
    );
  if (o.thresholds)
    b.thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.DashedAndArea),
    );
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  return b;
}

const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

/** A single big number coloured by its thresholds. */
export function statPanel(o: PanelOptions): stat.PanelBuilder {
  return applyCommon(new stat.PanelBuilder(), o, 6, 4)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(lastValue());
}

export function gaugePanel(o: PanelOptions): gauge.PanelBuilder {
  return applyCommon(new gauge.PanelBuilder(), o, 6, 8).reduceOptions(lastValue()).showThresholdMarkers(true);
}

export function tablePanel(o: PanelOptions): table.PanelBuilder {
  return applyCommon(new table.PanelBuilder(), o, 12, 8).showHeader(true);
}

export interface LogsOptions {
  title: string;
  description: string;
  expr: string;
  w?: number;
  h?: number;
}

/** A Loki logs panel; the datasource (the Loki variable) is set by the post-pass. */
export function logsPanel(o: LogsOptions): logs.PanelBuilder {
  return (
    new logs.PanelBuilder()
      .title(o.title)
      .description(o.description)
      // The logs visualisation ignores units; one is set anyway so every panel carries one.
      .unit('short')
      .span(o.w ?? 24)
      .height(o.h ?? 10)
      .showTime(true)
      .wrapLogMessage(true)
      .enableLogDetails(true)
      .sortOrder(common.LogsSortOrder.Descending)
      .withTarget(new loki.DataqueryBuilder().expr(o.expr).queryType('range').maxLines(500))
  );
}

export const row = (title: string): dashboard.RowBuilder => new dashboard.RowBuilder(title);
