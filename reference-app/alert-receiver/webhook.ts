/**
 * An Alertmanager webhook receiver: records every notification (Alertmanager's webhook payload,
 * version 4) with the time it arrived, so tests can wait for "AlertX firing" and measure the delay
 * from the fault. Used by the demo, the end-to-end tests and the compose `alert-receiver`. Given a
 * runbooks folder, it also serves the generated runbooks as HTML under /runbooks/, where the
 * alerts' runbook_url points in those stacks.
 */
import { createServer, type Server } from 'node:http';
import { RUNBOOKS_PATH, serveRunbook } from './runbooks.js';

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: WebhookAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  /** ms since epoch when it reached us. */
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  notifications: Notification[];
  /** Resolves with the first notification (already received or future) that matches. */
  waitFor(pred: (n: Notification) => boolean, timeoutMs: number, what: string): Promise<Notification>;
  close(): Promise<void>;
}

/** True when the notification carries `alertname` in `status` (optionally with matching labels). */
export function hasAlert(
  n: Notification,
  alertname: string,
  status: 'firing' | 'resolved',
  labels: Record<string, string> = {},
): boolean {
  return n.alerts.some(
    (a) =>
      a.labels.alertname === alertname &&
      a.status === status &&
      Object.entries(labels).every(([k, v]) => a.labels[k] === v),
  );
}

/** One line per alert: `12:00:01 FIRING  RedisDown {severity="critical", ...} — summary`. */
export function formatNotification(n: Notification): string {
  return n.alerts
    .map((a) => {
      const labels = Object.entries(a.labels)
        .filter(([k]) => k !== 'alertname')
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ');
      const time = new Date(n.receivedAt).toISOString().slice(11, 19);
      return `${time} ${a.status === 'firing' ? 'FIRING  ' : 'RESOLVED'} ${a.labels.alertname} {${labels}}${a.annotations.summary ? ` — ${a.annotations.summary}` : ''}`;
    })
    .join('\n');
}

export function startWebhookReceiver(opts: {
  port: number;
  host?: string;
  path?: string;
  onNotification?: (n: Notification) => void;
  /** Serve `<dir>/<Alert>.md` as HTML at GET /runbooks/<Alert>[.md] (and an index at /runbooks/). */
  runbooksDir?: string;
}): Promise<WebhookReceiver> {
  const notifications: Notification[] = [];
  const waiters = new Set<{ pred: (n: Notification) => boolean; resolve: (n: Notification) => void }>();
  const path = opts.path ?? '/alerts';
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok, ${notifications.length} notifications received\n`);
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://receiver').pathname;
    if ((req.method === 'GET' || req.method === 'HEAD') && opts.runbooksDir && pathname.startsWith(RUNBOOKS_PATH)) {
      serveRunbook(opts.runbooksDir, pathname).then(
        (r) =>
          res.writeHead(r.status, { 'content-type': r.contentType }).end(req.method === 'HEAD' ? undefined : r.body),
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (req.method !== 'POST' || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 4 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      let n: Notification;
      try {
        n = {
          ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Notification, 'receivedAt'>),
          receivedAt: Date.now(),
        };
        if (!Array.isArray(n.alerts)) throw new Error('no alerts array');
      } catch (e) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`bad payload: ${(e as Error).message}\n`);
        return;
      }
      notifications.push(n);
      opts.onNotification?.(n);
      for (const w of [...waiters]) {
        if (w.pred(n)) {
          waiters.delete(w);
          w.resolve(n);
        }
      }
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
      resolve({
        url: `http://${host}:${port}${path}`,
        port,
        notifications,
        waitFor(pred, timeoutMs, what) {
          const hit = notifications.find(pred);
          if (hit) return Promise.resolve(hit);
          return new Promise((res, rej) => {
            const w = {
              pred,
              resolve: (n: Notification): void => {
                clearTimeout(timer);
                res(n);
              },
            };
            const timer = setTimeout(() => {
              waiters.delete(w);
              const seen =
                notifications
                  .map((x) => x.alerts.map((a) => `${a.labels.alertname}:${a.status}`).join(','))
                  .join(' | ') || 'none';
              rej(new Error(`no notification for ${what} within ${timeoutMs} ms (received so far: ${seen})`));
            }, timeoutMs);
            waiters.add(w);
          });
        },
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
