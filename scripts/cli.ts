#!/usr/bin/env node
/**
 * `voting-mixin <command>`: a thin dispatcher. Each command lives in scripts/commands/ and
 * returns its exit code; this file maps thrown errors to codes (usage and config mistakes → 2,
 * anything unexpected → 2 with a message, never a bare stack trace).
 */
import { ConfigError } from '../config/config-check.js';
import { isEntryPoint, runMain } from '../runtime/entry-point.js';
import { UsageError } from '../runtime/errors.js';
import { type CommandEntry, commands } from './commands/index.js';
import { type CommandIO, processIO } from './lib/io.js';
import { packageVersion } from './lib/version.js';

function usage(all: readonly CommandEntry[]): string {
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    'Usage: voting-mixin <command> [options]',
    '',
    'Commands:',
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `voting-mixin <command> --help` for a command's options.",
    'Exit codes: 0 ok, 1 findings, 2 usage or config error.',
  ].join('\n');
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage(commands)}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout.write(`voting-mixin ${packageVersion()}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`voting-mixin: unknown command "${name}"\n\n${usage(commands)}\n`);
    return 2;
  }
  try {
    const cmd = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${cmd.help.trim()}\n`);
      return 0;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(
        `voting-mixin ${name}: config error: ${e.location ? `${e.location}: ` : ''}${e.message}\nNothing was written.\n`,
      );
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`voting-mixin ${name}: ${e.message}\nRun \`voting-mixin ${name} --help\` for usage.\n`);
      return 2;
    }
    io.stderr.write(`voting-mixin ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

if (isEntryPoint(import.meta.url)) runMain('voting-mixin', () => main(process.argv.slice(2), processIO()));
