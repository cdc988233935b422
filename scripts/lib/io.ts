/** What a command may touch: injected so tests drive commands without a child process. */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const processIO = (): CommandIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});

/** A subcommand: returns the exit code (0 ok, 1 findings, 2 usage). */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[], io: CommandIO): Promise<number>;
}
