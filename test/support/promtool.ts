/** `promtool check metrics` on an exposition: the real tool's verdict on what a service exposes. */
import { spawn } from 'node:child_process';

/** Its exit code and complaints (empty output when clean). */
export function promtoolCheckMetrics(exposition: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (b: Buffer) => {
      output += b.toString();
    });
    p.stderr.on('data', (b: Buffer) => {
      output += b.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, output }));
    p.stdin.end(exposition);
  });
}
