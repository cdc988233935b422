/** A description of the machine a benchmark ran on: CPU, cores, memory, OS, Node, commit. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return `${m[1]} (${type()} ${release()})`;
  } catch {
    /* not Linux */
  }
  return `${type()} ${release()}`;
}

function commit(cwd: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  commit: string;
  load: string;
}

export function describeMachine(cwd: string): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: osName(),
    node: process.version,
    commit: commit(cwd),
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

export function machineTable(m: Machine): string {
  return [
    '| | |',
    '|---|---|',
    `| CPU | ${m.cpu} × ${m.cores} cores |`,
    `| memory | ${m.memory} |`,
    `| OS | ${m.os} |`,
    `| Node.js | ${m.node} |`,
    `| commit | ${m.commit} |`,
    `| load average at start (1/5/15 min) | ${m.load} |`,
  ].join('\n');
}
