/**
 * A mistake in how a program was called (bad flag, bad environment variable, missing file): every
 * entry point prints its message on one line and exits 2, never with a stack trace.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
