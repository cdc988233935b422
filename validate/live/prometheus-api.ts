/**
 * A small client for the Prometheus HTTP API (v1): instant and range queries, label values and
 * the running config. Credentials in the URL become a Basic auth header (fetch refuses URLs with
 * credentials) and are never printed: use `redactUrl` for anything shown to a user.
 */
import { redactUrl } from '../../runtime/redact.js';

export interface Sample {
  metric: Record<string, string>;
}
export interface QueryResult {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  /** Number of series (1 for a scalar or string). */
  series: number;
}

export class PrometheusApiError extends Error {
  override name = 'PrometheusApiError';
  constructor(
    message: string,
    /** `bad_data`, `execution`, `timeout`, ... or `http`/`network` when the API did not answer. */
    readonly errorType: string,
  ) {
    super(message);
  }
}

export class PrometheusApi {
  private readonly base: string;
  private readonly headers: Record<string, string> = {};

  constructor(
    url: string,
    private readonly timeoutMs = 15_000,
  ) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new TypeError(`not a URL: ${redactUrl(url)} (expected e.g. http://localhost:9090)`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new TypeError(`unsupported protocol ${u.protocol} in ${redactUrl(url)} (use http or https)`);
    if (u.username || u.password) {
      const token = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString(
        'base64',
      );
      this.headers.authorization = `Basic ${token}`;
      u.username = '';
      u.password = '';
    }
    this.base = u.toString().replace(/\/+$/, '');
  }

  /** The base URL without credentials. */
  get url(): string {
    return this.base;
  }

  /** POST form-encoded (queries can be long), answered with the API's JSON envelope. */
  private call<T>(path: string, params: Record<string, string | string[]>): Promise<T> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.request<T>(path, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  }

  private get<T>(pathAndQuery: string): Promise<T> {
    return this.request<T>(pathAndQuery, { headers: this.headers });
  }

  /** One HTTP call; network failures, non-JSON answers and API errors become PrometheusApiError. */
  private async request<T>(pathAndQuery: string, init: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${pathAndQuery}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new PrometheusApiError(
        `cannot reach Prometheus at ${redactUrl(this.base).replace(/\/+$/, '')}: ${cause}`,
        'network',
      );
    }
    const text = await res.text();
    let json: { status?: string; data?: T; error?: string; errorType?: string };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      const where = `${redactUrl(this.base).replace(/\/+$/, '')}${pathAndQuery.split('?')[0]}`;
      const hint =
        res.status === 401 || res.status === 403 ? 'check the credentials in the URL' : 'is this a Prometheus?';
      throw new PrometheusApiError(`${where} answered HTTP ${res.status} with non-JSON (${hint})`, 'http');
    }
    if (json.status !== 'success')
      throw new PrometheusApiError(json.error ?? `HTTP ${res.status}`, json.errorType ?? 'http');
    return json.data as T;
  }

  private static count(data: { resultType: QueryResult['resultType']; result: unknown }): QueryResult {
    const n = Array.isArray(data.result) ? data.result.length : 1;
    return { resultType: data.resultType, series: n };
  }

  async instant(query: string, time = Date.now() / 1000): Promise<QueryResult> {
    return PrometheusApi.count(await this.call('/api/v1/query', { query, time: String(time) }));
  }

  async range(query: string, start: number, end: number, stepSeconds: number): Promise<QueryResult> {
    return PrometheusApi.count(
      await this.call('/api/v1/query_range', {
        query,
        start: String(start),
        end: String(end),
        step: String(stepSeconds),
      }),
    );
  }

  /** Values of a label, optionally limited to series matching selectors and a time window. */
  labelValues(label: string, opts: { match?: string[]; start?: number; end?: number } = {}): Promise<string[]> {
    const params: Record<string, string | string[]> = {};
    if (opts.match?.length) params['match[]'] = opts.match;
    if (opts.start !== undefined) params.start = String(opts.start);
    if (opts.end !== undefined) params.end = String(opts.end);
    // label values is GET-only in older Prometheus versions.
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) qs.append(k, one);
    return this.get(`/api/v1/label/${encodeURIComponent(label)}/values?${qs}`);
  }

  /** The running configuration's YAML. */
  async configYaml(): Promise<string> {
    return (await this.get<{ yaml: string }>('/api/v1/status/config')).yaml;
  }
}
