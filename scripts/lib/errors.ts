/** A mistake in how a command was called (bad flag, missing file): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
