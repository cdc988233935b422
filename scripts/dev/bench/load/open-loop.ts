import net from 'node:net';
import { sleep } from '../../../../test/support/index.js';
import { percentile } from '../lib/stats.js';
import { VOTE_BODY } from './closed-loop.js';
import type { LoadResult } from './result.js';

/**
 * A true open loop (wrk2-style): requests are due on a fixed schedule of `rate` per second, sent
 * whether or not earlier ones have been answered, over a pool of keep-alive connections spread
 * round-robin over the instances (a new connection is opened when all are busy, up to `maxConns`).
 * Each latency is measured from the request's scheduled time, so a stall in the service shows up
 * in the tail instead of silently delaying the next sends (coordinated omission). autocannon's
 * overallRate is not this: each connection sends back to back until it has made its share for the
 * current second and then pauses, i.e. a 100-connection closed-loop burst at the top of every second.
 */
export async function openLoop(
  urls: readonly string[],
  rate: number,
  seconds: number,
  maxConns = 256,
): Promise<LoadResult> {
  const body = VOTE_BODY;
  const targets = urls.map((u) => new URL(u));
  const request = (t: URL) =>
    Buffer.from(
      `POST /vote HTTP/1.1\r\nHost: ${t.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  const reqBytes = targets.map(request);
  interface Conn {
    sock: net.Socket;
    target: number;
    due: number;
    buf: Buffer;
    busy: boolean;
  }
  const idle: Conn[][] = targets.map(() => []);
  const backlog: number[] = []; // scheduled times of requests waiting for a connection
  let open = 0;
  let errors = 0;
  let ok2xx = 0;
  let non2xx = 0;
  const lat: number[] = [];
  let measureFrom = Infinity; // requests scheduled before this are warm-up
  let rr = 0;
  const send = (c: Conn, due: number): void => {
    c.busy = true;
    c.due = due;
    c.sock.write(reqBytes[c.target]!);
  };
  const onResponse = (c: Conn, status: number): void => {
    const ms = performance.now() - c.due;
    if (c.due >= measureFrom) {
      lat.push(ms);
      if (status >= 200 && status < 300) ok2xx++;
      else non2xx++;
    }
    c.busy = false;
    const next = backlog.shift();
    if (next !== undefined) send(c, next);
    else idle[c.target]!.push(c);
  };
  const connect = (target: number): Conn => {
    const t = targets[target]!;
    const c: Conn = {
      sock: net.connect(Number(t.port), t.hostname),
      target,
      due: 0,
      buf: Buffer.alloc(0),
      busy: false,
    };
    open++;
    c.sock.setNoDelay(true);
    c.sock.on('data', (d: Buffer) => {
      c.buf = c.buf.length ? Buffer.concat([c.buf, d]) : d;
      for (;;) {
        const end = c.buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = c.buf.subarray(0, end).toString('latin1');
        const len = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (c.buf.length < end + 4 + len) return;
        c.buf = c.buf.subarray(end + 4 + len);
        onResponse(c, Number(head.slice(9, 12)));
      }
    });
    c.sock.on('error', () => {});
    c.sock.on('close', () => {
      open--;
      if (c.busy && c.due >= measureFrom) errors++;
      const list = idle[target]!;
      const i = list.indexOf(c);
      if (i >= 0) list.splice(i, 1);
    });
    return c;
  };
  const dispatch = (due: number): void => {
    for (let k = 0; k < targets.length; k++) {
      const t = (rr + k) % targets.length;
      const c = idle[t]!.pop();
      if (c) {
        rr = t + 1;
        send(c, due);
        return;
      }
    }
    if (open < maxConns) {
      const t = rr++ % targets.length;
      const c = connect(t);
      c.sock.once('connect', () => send(c, due));
      return;
    }
    backlog.push(due);
  };
  // Warm the pool (one connection per 20 req/s, like autocannon's 100 for 2,000/s) before the clock starts.
  const warm = Math.min(maxConns, Math.max(targets.length, Math.ceil(rate / 20)));
  await Promise.all(
    Array.from({ length: warm }, (_, i) => {
      const c = connect(i % targets.length);
      return new Promise<void>((r) =>
        c.sock.once('connect', () => {
          idle[c.target]!.push(c);
          r();
        }),
      );
    }),
  );
  const warmupMs = 1_000;
  const t0 = performance.now();
  measureFrom = t0 + warmupMs;
  const endAt = t0 + warmupMs + seconds * 1_000;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = Math.min(performance.now(), endAt);
      const due = Math.floor(((now - t0) / 1_000) * rate);
      for (; sent < due; sent++) dispatch(t0 + (sent * 1_000) / rate);
      if (now >= endAt) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  // Let the last requests come back (counted), then close.
  const drainUntil = performance.now() + 5_000;
  while (performance.now() < drainUntil && (backlog.length || idle.reduce((a, l) => a + l.length, 0) < open))
    await sleep(5);
  for (const list of idle) for (const c of list) c.sock.destroy();
  const sorted = Float64Array.from(lat).sort();
  return {
    rps: ok2xx / seconds,
    accepted: ok2xx,
    errors: errors + non2xx + backlog.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}
