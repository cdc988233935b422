import { ConfigError } from '../../config/config-check.js';

/** The ConfigError `fn` throws; any other outcome (another error, no error) fails the test. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
