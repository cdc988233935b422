/**
 * What the reference app's tests need beyond the shared test support (../../test/support: ports,
 * waits, private redis-server, databases, TCP proxy, promtool): the compiled services as child
 * processes, a vote request, and a logger that stays quiet.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';

/** The workspace folder (reference-app/). */
export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const silentLogger = () => pino({ level: 'silent' });

export type Service = 'vote' | 'worker' | 'alert-receiver';

/** The compiled entry point of a service; `npx tsc -b reference-app` builds it. */
export function serviceScript(entry: Service): string {
  const script = path.join(APP_ROOT, 'build', entry, 'main.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npx tsc -b reference-app\` first`);
  return script;
}

/** Spawns a compiled entry point (reference-app/build/<service>/main.js). */
export function spawnService(
  entry: Service,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [serviceScript(entry), ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer): void => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return Object.assign(child, { output: () => out });
}

/** Resolves with the exit code (null when killed by a signal). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/** `voter_id=<value>` from an answer's Set-Cookie (to send back as a Cookie header), or undefined. */
export function voterCookieOf(res: Response): string | undefined {
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('voter_id='))
    ?.split(';')[0];
}

export async function postVote(base: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
