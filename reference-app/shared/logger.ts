/**
 * JSON logs (pino) for Loki: one line per event, secrets never written (connection URLs go through
 * `redactUrl` from voting-mixin/runtime before they are logged).
 */
import { type Logger, pino } from 'pino';
import { LOG_LEVELS, UsageError } from 'voting-mixin/runtime';

export type { Logger };

/** `createLogger('vote', 'info')`; an unknown level is a usage error, not a silent default. */
export function createLogger(service: string, level = 'info', dest?: NodeJS.WritableStream): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`log level "${level}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: isoTime,
      // pino's numeric level stays: the overview's error-log panel queries `| json | level >= 50`.
      // Belt and braces: anything that looks like a credential is censored wherever it appears.
      redact: { paths: ['password', '*.password', 'headers.cookie', 'headers.authorization'], censor: '***' },
    },
    dest ?? bufferedStdout(),
  );
}

let timeMs = Number.NaN;
let timeText = '';
/**
 * pino's `isoTime`, formatted once per millisecond: under load several access-log lines share a
 * millisecond, and a Date plus toISOString per line was a visible share of the logging cost.
 */
export function isoTime(): string {
  const now = Date.now();
  if (now !== timeMs) {
    timeText = `,"time":"${new Date(now).toISOString()}"`;
    timeMs = now;
  }
  return timeText;
}

/**
 * stdout through a 4 KiB buffer: one write(2) per few dozen lines instead of one per request,
 * which is most of the logging cost on the vote hot path. Flushed synchronously at exit.
 */
function bufferedStdout(): NodeJS.WritableStream {
  const dest = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  // The reader of stdout went away (EPIPE): the lines are lost either way; the service must go on.
  // And it must still stop: sonic-boom's flushSync retries a failed write forever (it gives up only
  // on EAGAIN), so a SIGTERM after the reader died hung in the exit flush. Once broken, no flush.
  let broken = false;
  dest.on('error', () => {
    broken = true;
  });
  // A quiet service must not sit on its last lines: flush at least once a second.
  setInterval(() => {
    if (broken) return;
    try {
      dest.flush();
    } catch {
      // a write is in progress; the next tick catches up
    }
  }, 1_000).unref();
  process.once('exit', () => {
    if (broken) return;
    try {
      dest.flushSync();
    } catch {
      // stdout already gone: nothing left to save.
    }
  });
  return dest as unknown as NodeJS.WritableStream;
}
