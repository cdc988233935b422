/** Listening and graceful shutdown shared by the entry points. */
import type { Server } from 'node:http';
import type { Express } from 'express';

export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.once('error', reject);
  });
}

/** Stops accepting, lets in-flight requests finish (bounded), then drops idle keep-alive sockets. */
export function closeServer(server: Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(t);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Runs `stop` once on SIGTERM/SIGINT and exits with its code; a second signal or `deadlineMs` exits 1 at once. */
export function onShutdown(stop: (signal: string) => Promise<number>, deadlineMs = 15_000): void {
  let stopping = false;
  const handler = (signal: string): void => {
    // A second signal means "now": the operator (or an orchestrator's kill) will not wait.
    if (stopping) process.exit(1);
    stopping = true;
    // A graceful stop that hangs (a stuck client, a reader gone from stdout) still ends.
    setTimeout(() => process.exit(1), deadlineMs).unref();
    stop(signal).then(
      (code) => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}
