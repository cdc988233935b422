/**
 * "Is this module the program node was asked to run?" — true when node runs the file directly or
 * through a symlink (the npm bin link in node_modules/.bin, a workspace link). Comparing
 * process.argv[1] with a path suffix fails for the symlink and for a renamed copy; comparing real
 * paths does not.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `if (isEntryPoint(import.meta.url)) run(main)`. */
export function isEntryPoint(moduleUrl: string, argv1: string | undefined = process.argv[1]): boolean {
  if (!argv1) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

export interface RunOptions {
  /** Applied to the message of an unexpected error before it is printed (a password must not leak). */
  redact?: (text: string) => string;
  /** Exit as soon as `main` settles, even with handles still open (services after their shutdown). */
  exit?: boolean;
}

/**
 * Runs an entry point's `main` and exits with the code it returns. An error that escapes `main` is
 * a bug, not a user mistake: it is printed on stderr (through `redact`) and the exit code is 2.
 */
export function runMain(name: string, main: () => Promise<number>, opts: RunOptions = {}): void {
  const done = (code: number): void => {
    if (opts.exit) process.exit(code);
    process.exitCode = code;
  };
  main().then(done, (e: unknown) => {
    const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`${name}: ${opts.redact ? opts.redact(text) : text}\n`);
    done(2);
  });
}
