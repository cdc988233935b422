/**
 * The frame every long-running program of this project shares (vote, worker, alert receiver,
 * queue exporter): flags and environment through the one parser, `--help` (and `--version`),
 * then `run`. The exit codes and messages are the same everywhere:
 *   0  help, version, or a clean shutdown;
 *   2  a usage mistake (bad flag or variable, unreadable file, bad config): one line
 *      `<name>: <message>`, never a stack trace;
 *   1  the environment failed the start (port taken, address unknown): one line, URL passwords
 *      and the program's known secrets masked.
 */
import { ConfigError } from '../config/config-check.js';
import { UsageError } from './errors.js';
import { type FlagSpecs, type FlagValues, flagTable, type ParsedFlags, parseFlags } from './flags.js';
import { maskUrls } from './redact.js';

export interface Program<S extends FlagSpecs> {
  /** Prefix of every message (`vote: ...`) and the name in the usage line. */
  name: string;
  /** What it does, shown by `--help` above the options table. */
  summary: string;
  /** More for `--help`, below the options table (formats, endpoints). */
  details?: string;
  flags: S;
  /** Checks across flags or of a value's format, after each flag's own: throw UsageError. */
  check?: (values: FlagValues<S>) => void;
  /** Turns `--version` on and says what it prints. */
  version?: () => string;
  /**
   * Starts with checked values and resolves with the exit code at shutdown. UsageError and
   * ConfigError thrown here are usage mistakes (2); anything else is a failed start (1).
   */
  run: (values: FlagValues<S>) => Promise<number>;
  /** Masks the program's own secrets (a password read from a file) in printed messages. */
  redact?: (text: string) => string;
}

export interface ProgramIO {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const processIO = (): ProgramIO => ({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});

/** What `--help` prints: usage line, summary, the options table, details and the exit codes. */
export function programHelp<S extends FlagSpecs>(
  p: Pick<Program<S>, 'name' | 'summary' | 'details' | 'flags' | 'version'>,
): string {
  return [
    `usage: ${p.name} [options]`,
    '',
    p.summary.trim(),
    '',
    'Options (a flag wins over its environment variable):',
    flagTable(p.flags, { version: !!p.version }),
    ...(p.details ? ['', p.details.trim()] : []),
    '',
    'Exit codes: 0 clean shutdown, 1 failed start (address in use, ...), 2 bad flag, variable, file or config.',
    '',
  ].join('\n');
}

/** Parses and checks the flags as `runProgram` does (for tests). @throws UsageError. */
export function parseProgramFlags<S extends FlagSpecs>(
  p: Program<S>,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParsedFlags<S> {
  const parsed = parseFlags(p.flags, argv, { env, version: !!p.version });
  if (!parsed.help && !parsed.version) p.check?.(parsed.values);
  return parsed;
}

function usageMessage(e: unknown): string | undefined {
  if (e instanceof UsageError) return e.message;
  if (e instanceof ConfigError) return `config error: ${e.location ? `${e.location}: ` : ''}${e.message}`;
  return undefined;
}

/** Runs a program to its exit code (see the file comment for the codes and messages). */
export async function runProgram<S extends FlagSpecs>(p: Program<S>, io: ProgramIO = processIO()): Promise<number> {
  // Usage messages are ours and already safe to show; anything else may quote a URL or a secret.
  const say = (text: string, ours = false): void => {
    const safe = p.redact ? p.redact(text) : text;
    io.stderr.write(`${p.name}: ${ours ? safe : maskUrls(safe)}\n`);
  };
  let values: FlagValues<S>;
  try {
    const parsed = parseProgramFlags(p, io.argv, io.env);
    if (parsed.help) {
      io.stdout.write(programHelp(p));
      return 0;
    }
    if (parsed.version && p.version) {
      io.stdout.write(`${p.name} ${p.version()}\n`);
      return 0;
    }
    values = parsed.values;
  } catch (e) {
    const usage = usageMessage(e);
    if (usage === undefined) throw e;
    say(`${usage} (see --help)`, true);
    return 2;
  }
  try {
    return await p.run(values);
  } catch (e) {
    const usage = usageMessage(e);
    if (usage !== undefined) say(usage, true);
    else say(e instanceof Error ? e.message : String(e));
    return usage === undefined ? 1 : 2;
  }
}
