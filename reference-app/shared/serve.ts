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

/** Runs `stop` once on SIGTERM/SIGINT, then exits with its code. */
export function onShutdown(stop: (signal: string) => Promise<number>): void {
  let stopping = false;
  const handler = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    stop(signal).then(
      (code) => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}
