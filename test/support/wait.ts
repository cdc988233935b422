/** Polling helpers: wait for an HTTP endpoint or a condition, with a deadline and a clear error. */
import { connect } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every `intervalMs` until it returns a truthy value; throws `what` on timeout. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** Resolves once `url` answers with a 2xx status. */
export function waitForHttp(url: string, timeoutMs = 30_000): Promise<true> {
  return waitFor(
    `${url} to answer 2xx`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.ok || undefined;
    },
    timeoutMs,
    100,
  );
}

/** Resolves once something accepts TCP connections on host:port. */
export function waitForTcp(host: string, port: number, timeoutMs = 30_000): Promise<true> {
  return waitFor(
    `${host}:${port} to accept connections`,
    () =>
      new Promise<true | undefined>((res) => {
        const s = connect({ host, port }, () => {
          s.destroy();
          res(true);
        });
        s.on('error', () => res(undefined));
      }),
    timeoutMs,
    100,
  );
}
