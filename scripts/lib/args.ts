/** node:util parseArgs with its errors (unknown flag, missing value) turned into UsageError: exit 2. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export function parseFlags<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
