/** Secrets come from files (`--redis-password-file`, Docker/Kubernetes secrets), never from flags. */
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

/** The file's content without its trailing newline. @throws UsageError naming the flag and the file. */
export function readSecretFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read "${path}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
