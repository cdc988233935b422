/** The few Prometheus HTTP API calls Grafana makes for a dashboard: queries and label values. */

export interface Series {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export type QueryOutcome = { ok: true; series: Series[] } | { ok: false; error: string };

export class PromApi {
  constructor(readonly base: string) {}

  private async call(path: string, params: Record<string, string | string[]>): Promise<unknown> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await fetch(`${this.base}/api/v1/${path}`, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json()) as { status: string; data?: unknown; error?: string };
    if (json.status !== 'success') throw new Error(json.error ?? `HTTP ${res.status}`);
    return json.data;
  }

  /** A range query (what Grafana runs for a time series or stat panel); query errors are outcomes. */
  async range(expr: string, startS: number, endS: number, stepS: number): Promise<QueryOutcome> {
    try {
      const data = (await this.call('query_range', {
        query: expr,
        start: String(startS),
        end: String(endS),
        step: String(stepS),
      })) as { result: Series[] };
      return { ok: true, series: data.result };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  /** An instant query; scalars and strings come back as one series without labels. */
  async instant(expr: string, timeS: number): Promise<QueryOutcome> {
    try {
      const data = (await this.call('query', { query: expr, time: String(timeS) })) as {
        resultType: string;
        result: unknown;
      };
      if (data.resultType === 'scalar' || data.resultType === 'string') {
        const [t, v] = data.result as [number, string];
        return { ok: true, series: [{ metric: {}, values: [[t, v]] }] };
      }
      const result = data.result as Array<{ metric: Record<string, string>; value?: [number, string] }>;
      return { ok: true, series: result.map((r) => ({ metric: r.metric, values: r.value ? [r.value] : [] })) };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  /** Values of `label`, optionally only on series matching `match` (a selector), within the range. */
  async labelValues(label: string, match: string | undefined, startS: number, endS: number): Promise<string[]> {
    const params: Record<string, string | string[]> = { start: String(startS), end: String(endS) };
    if (match) params['match[]'] = match;
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) body.append(k, v as string);
    const res = await fetch(`${this.base}/api/v1/label/${encodeURIComponent(label)}/values?${body}`, {
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json()) as { status: string; data?: string[]; error?: string };
    if (json.status !== 'success') throw new Error(json.error ?? `HTTP ${res.status}`);
    return json.data ?? [];
  }

  /** Label names, optionally only of series matching `match`. */
  async labelNames(match: string | undefined, startS: number, endS: number): Promise<string[]> {
    const params: Record<string, string | string[]> = { start: String(startS), end: String(endS) };
    if (match) params['match[]'] = match;
    return (await this.call('labels', params)) as string[];
  }
}

/** A query outcome has data when any series holds at least one sample. */
export const hasData = (o: QueryOutcome): boolean => o.ok && o.series.some((s) => s.values.length > 0);
