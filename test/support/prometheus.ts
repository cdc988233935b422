/**
 * A private Prometheus for tests: the real binary on a port of the test's choosing, its TSDB and
 * log inside the test's own folder (removed with it), ready before this returns.
 */
import { join } from 'node:path';
import { ManagedProcess } from './process.js';
import { waitForHttp } from './wait.js';

/** Starts `prometheus` with `<dir>/prometheus.yml` on 127.0.0.1:port; close() the result. */
export async function startPrivatePrometheus(dir: string, port: number, readyMs = 30_000): Promise<ManagedProcess> {
  const prom = new ManagedProcess(
    {
      name: 'prometheus',
      command: 'prometheus',
      args: [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
    },
    dir,
  ).start();
  await waitForHttp(`http://127.0.0.1:${port}/-/ready`, readyMs);
  return prom;
}
