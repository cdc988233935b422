/**
 * Child processes of a benchmark: started in one place so a failing run still stops them all,
 * and measured from /proc (CPU seconds, RSS, peak RSS) on this Linux machine.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep } from '../../../../test/support/index.js';

const children = new Set<ChildProcess>();

/** Spawns a child that `stopAll()` will stop. Output is discarded unless `stdio` says otherwise. */
export function startChild(cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'ignore', ...opts, env: { ...process.env, ...opts.env } });
  child.once('error', () => {});
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([gone, sleep(5_000).then(() => child.kill('SIGKILL'))]);
  await gone;
}

export const stopAll = (): Promise<void> => Promise.all([...children].map(stopChild)).then(() => undefined);

/** user+system CPU seconds of a process so far (clock ticks are 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

/** Resident memory now, in MiB. */
export const rssMiB = (pid: number): number => statusKb(pid, 'VmRSS') / 1024;

export interface TimedRun {
  ms: number;
  /** Peak resident memory (VmHWM, polled every 10 ms), in KiB. */
  peakKb: number;
}

/** Runs a command to completion; wall time and peak memory. @throws when it exits non-zero. */
export function timedRun(cmd: string, args: readonly string[], cwd?: string): Promise<TimedRun> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd });
    let peakKb = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const poll = setInterval(() => {
      try {
        peakKb = Math.max(peakKb, statusKb(child.pid!, 'VmHWM') || 0);
      } catch {
        // exited between polls
      }
    }, 10);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearInterval(poll);
      const ms = performance.now() - started;
      if (code !== 0) fail(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      else done({ ms, peakKb });
    });
  });
}
