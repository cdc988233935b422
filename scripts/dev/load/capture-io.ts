/** An in-memory LoadIO for the load command's tests: what it printed, on which stream. */
import type { LoadIO } from './main.js';

export function captureIO(): LoadIO & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    isTTY: false,
    stdout: (s: string) => {
      o.out += s;
    },
    stderr: (s: string) => {
      o.err += s;
    },
  };
  return o;
}
