/**
 * Shared panel presets on the foundation SDK. Every preset takes a unit from the catalog's closed
 * `Unit` set and a description, so a panel without either cannot be written. Datasources, panel
 * ids and refIds are left to the post-pass in defaults.ts, which sets them once for all panels.
 */

import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
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
  /**
   * Set, with the reason, on a query that rightly returns nothing while all is well (a list of
   * only the failing things, a value that exists only under some set-ups). Written into the
   * target as {@link MAY_BE_EMPTY}, where `verify` reads it. Leave it out for anything that is
   * a number: a count or ratio reads 0 when nothing is wrong (see `orZero` in queries.ts).
   */
  mayBeEmpty?: string;
}

/**
 * The target field that marks a query which may legitimately be empty (its value says why):
 * `"targets": [{ "expr": "up == 0", "mayBeEmpty": "lists only targets that are down" }]`.
 * Grafana keeps unknown target fields and the Prometheus datasource ignores them.
 */
export const MAY_BE_EMPTY = 'mayBeEmpty';

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
  /**
   * Text shown instead of "No data" — only where an empty result is the good news ("No target is
   * down"); numbers get a query that reads 0 instead, so a missing metric still shows "No data".
   */
  noValue?: string;
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

/** Red as soon as a rate is above zero (a threshold of exactly 0 would colour the zero line too). */
export const ANY_RATE = 1e-6;

/** Text and colour for a 0/1 gauge: a stat shows the word, not the number. */
function boolMappings(
  zero: [text: string, color: string],
  one: [text: string, color: string],
): dashboard.ValueMapping[] {
  return [
    {
      type: dashboard.MappingType.ValueToText,
      options: {
        '0': { text: zero[0], color: zero[1], index: 0 },
        '1': { text: one[0], color: one[1], index: 1 },
      },
    },
  ];
}

/** 1 → UP (green), 0 → DOWN (red). */
export const upDownMappings = boolMappings(['DOWN', 'red'], ['UP', 'green']);
/** 1 → OK (green), 0 → FAILED (red): whether the last save or write succeeded. */
export const okFailedMappings = boolMappings(['FAILED', 'red'], ['OK', 'green']);
/** 1 → On (green), 0 → Off (orange): a safeguard that is switched off. */
export const onOffMappings = boolMappings(['Off', 'orange'], ['On', 'green']);
/** 0 → Finished (green), 1 → Timed out (orange): whether the last collection hit its deadline. */
export const timedOutMappings = boolMappings(['Finished', 'green'], ['Timed out', 'orange']);

function promTarget(q: Query): cog.Builder<cog.Dataquery> {
  const t = new prometheus.DataqueryBuilder().expr(q.expr).legendFormat(q.legend ?? '__auto');
  if (q.instant) t.instant();
  else t.range();
  if (q.format === 'table') t.format(prometheus.PromQueryFormat.Table);
  const reason = q.mayBeEmpty;
  if (reason === undefined) return t;
  // The SDK's query type has no such field: added to what it builds.
  return { build: () => ({ ...t.build(), [MAY_BE_EMPTY]: reason }) };
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
  noValue(text: string): unknown;
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
  if (o.noValue !== undefined) b.noValue(o.noValue);
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

/** Horizontal bars, one per series (e.g. votes per option), coloured by the thresholds. */
export function barGaugePanel(o: PanelOptions): bargauge.PanelBuilder {
  return applyCommon(new bargauge.PanelBuilder(), o, 8, 8)
    .reduceOptions(lastValue())
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .showUnfilled(true);
}

/** A donut of the series' last values with their share in the legend (e.g. vote share per option). */
export function pieChartPanel(o: PanelOptions): piechart.PanelBuilder {
  return applyCommon(new piechart.PanelBuilder(), o, 8, 8)
    .reduceOptions(lastValue())
    .pieType(piechart.PieChartType.Donut)
    .displayLabels([piechart.PieChartLabels.Name, piechart.PieChartLabels.Percent])
    .legend(
      new piechart.PieChartLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Right)
        .values([piechart.PieChartLegendValues.Value]),
    );
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
