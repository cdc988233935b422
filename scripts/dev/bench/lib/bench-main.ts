/**
 * The frame every benchmark script shares: flags through the one runtime parser (plus `--out FILE`
 * and `--help`), one markdown section on stdout (and in FILE), usage mistakes → exit 2 with one
 * line, a failed run → exit 1 with its message, and every child process stopped either way.
 */
import { writeFile } from 'node:fs/promises';
import { type FlagSpecs, type FlagValues, parseFlags, UsageError } from '../../../../runtime/index.js';
import { stopAll } from './processes.js';

export interface Bench<S extends FlagSpecs> {
  /** `bench:app` */
  name: string;
  help: string;
  flags: S;
  /** Measures and returns the markdown section. */
  run(values: FlagValues<S>): Promise<string>;
}

export function benchMain<const S extends FlagSpecs>(bench: Bench<S>): void {
  const spec = {
    ...bench.flags,
    out: { kind: 'string', arg: 'FILE', help: 'also write the section to FILE' },
  } as const;
  const exit = (code: number): void => {
    void stopAll().finally(() => process.exit(code));
  };
  let parsed: ReturnType<typeof parseFlags<typeof spec>>;
  try {
    parsed = parseFlags(spec, process.argv.slice(2), { env: process.env });
  } catch (e) {
    process.stderr.write(`${bench.name}: ${(e as Error).message}\nRun with --help for usage.\n`);
    exit(2);
    return;
  }
  if (parsed.help) {
    process.stdout.write(bench.help);
    exit(0);
    return;
  }
  const values = parsed.values as FlagValues<S> & { out?: string };
  bench.run(values).then(
    async (section) => {
      process.stdout.write(section);
      if (values.out) await writeFile(values.out, section);
      exit(0);
    },
    (e: unknown) => {
      process.stderr.write(
        `${bench.name}: ${e instanceof UsageError ? e.message : e instanceof Error ? e.message : String(e)}\n`,
      );
      exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
