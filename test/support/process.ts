/**
 * Child processes of a stack, each in its own process group (`detached`), so stopping one takes
 * its children with it and Ctrl-C on the demo leaves nothing behind. Output goes to a log file per
 * process; the last lines are kept for error messages ("vote-1 exited with 1: ...").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export class ManagedProcess {
  readonly spec: ProcessSpec;
  private child: ChildProcess | undefined;
  private log: WriteStream;
  private tail: string[] = [];
  private exitPromise: Promise<number | null> = Promise.resolve(null);
  /** Set when we stopped it on purpose, so an exit is not reported as a crash. */
  private stopping = false;
  onUnexpectedExit?: (p: ManagedProcess, code: number | null) => void;

  constructor(spec: ProcessSpec, logDir: string) {
    this.spec = spec;
    this.log = createWriteStream(join(logDir, `${spec.name}.log`), { flags: 'a' });
  }

  get name(): string {
    return this.spec.name;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }
  /** The last lines the process wrote, for error messages. */
  lastLines(n = 20): string {
    return this.tail.slice(-n).join('\n');
  }

  start(): this {
    if (this.running) return this;
    this.stopping = false;
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const take = (chunk: Buffer) => {
      this.log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) if (line) this.tail.push(line);
      if (this.tail.length > 200) this.tail.splice(0, this.tail.length - 200);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    this.exitPromise = new Promise((res) => {
      child.on('error', (e) => {
        this.tail.push(`spawn error: ${e.message}`);
        res(null);
      });
      // 'close', not 'exit': 'exit' can come before the last output, and close() would then end
      // the log while take() still writes to it (an uncaught "write after end").
      child.on('close', (code) => {
        if (!this.stopping) this.onUnexpectedExit?.(this, code);
        res(code);
      });
    });
    return this;
  }

  /** Sends `signal` to the whole process group. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || !this.running) return;
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  }

  /** SIGTERM the group, SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.child) return;
    this.stopping = true;
    const exited = this.exitPromise;
    if (this.running) {
      this.signal('SIGTERM');
      const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    // Children that ignored the group signal still die with the group.
    killGroup(this.child.pid);
  }

  /** SIGKILL the group, like a crash; resolves on exit. */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.stopping = true;
    this.signal('SIGKILL');
    await this.exitPromise;
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((r) => this.log.end(() => r()));
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* no such group: everything exited */
  }
}

/** True while a process (or, with a negative id, a process group) exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
