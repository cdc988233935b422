/**
 * Where a browser opens the running Prometheus and Alertmanager, asked of the servers themselves:
 * the installed builds differ from upstream's. Debian 12's Prometheus 2.42 has no React UI (it
 * cannot be built from Debian sources): `/` redirects to `/classic/graph`, `/alerts` and `/graph`
 * are 404 or redirect there, and the pages live under `/classic/` (alerts, graph, targets, rules).
 * Debian's Alertmanager 0.25 has no web UI at all: `/` is a static page saying so, `/#/alerts`
 * is that same page, and only the API (`/api/v2/alerts`) shows the alerts. Upstream builds serve
 * `/alerts` (Prometheus) and the Elm UI at `/#/alerts` (Alertmanager, its `/script.js`).
 */

export interface UiLink {
  /** What to open. */
  url: string;
  /** True when `url` is an HTML page; false when the component has no UI and this is its API. */
  page: boolean;
  /** Why this URL, for the demo's listing. */
  note: string;
}

async function answers(url: string, type: RegExp): Promise<boolean> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return res.status === 200 && type.test(res.headers.get('content-type') ?? '');
  } catch {
    return false;
  }
}

/** Prometheus's alerts page: the new UI's `/alerts` where it exists, else the classic UI's. */
export async function prometheusAlertsPage(base: string): Promise<UiLink> {
  if (await answers(`${base}/alerts`, /^text\/html/)) return { url: `${base}/alerts`, page: true, note: 'alerts page' };
  if (await answers(`${base}/classic/alerts`, /^text\/html/))
    return {
      url: `${base}/classic/alerts`,
      page: true,
      note: 'alerts page; this build has only the classic UI: /classic/graph, /classic/targets, /classic/rules',
    };
  return { url: `${base}/api/v1/alerts`, page: false, note: 'no web UI in this build; the alerts API' };
}

/** Alertmanager's alerts: the UI where its script is served, else the v2 API. */
export async function alertmanagerAlertsPage(base: string): Promise<UiLink> {
  if (await answers(`${base}/script.js`, /javascript/))
    return { url: `${base}/#/alerts`, page: true, note: 'alerts page' };
  return {
    url: `${base}/api/v2/alerts`,
    page: false,
    note: 'no web UI in this build (Debian packages none); the alerts API, or `amtool alert --alertmanager.url=…`',
  };
}
