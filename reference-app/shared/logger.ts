/** JSON logs (pino) for Loki: one line per event, secrets never written. */
import { type Logger, pino } from 'pino';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `createLogger('vote', 'info')`; an unknown level is a usage error, not a silent default. */
export function createLogger(service: string, level = 'info', dest?: NodeJS.WritableStream): Logger {
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new Error(`log level "${level}" is not one of ${LEVELS.join(', ')}`);
  }
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Belt and braces: anything that looks like a credential is censored wherever it appears.
      redact: { paths: ['password', '*.password', 'headers.cookie', 'headers.authorization'], censor: '***' },
    },
    dest ?? bufferedStdout(),
  );
}

/**
 * stdout through a 4 KiB buffer: one write(2) per few dozen lines instead of one per request,
 * which is most of the logging cost on the vote hot path. Flushed synchronously at exit.
 */
function bufferedStdout(): NodeJS.WritableStream {
  const dest = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  // A quiet service must not sit on its last lines: flush at least once a second.
  setInterval(() => {
    try {
      dest.flush();
    } catch {
      // a write is in progress; the next tick catches up
    }
  }, 1_000).unref();
  process.once('exit', () => {
    try {
      dest.flushSync();
    } catch {
      // stdout already gone: nothing left to save.
    }
  });
  return dest as unknown as NodeJS.WritableStream;
}

/** `redis://user:secret@h:6379/0` → `redis://user:***@h:6379/0`, for logging connection URLs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}
