#!/usr/bin/env node
/**
 * `node reference-app/build/alert-receiver/main.js --listen 0.0.0.0:5001`: prints every Alertmanager
 * webhook notification it receives (one line per alert, or the raw JSON with --json). The compose
 * stack's stand-in for a pager; the demo runs the same receiver in-process.
 */
import {
  type FlagSpecs,
  type FlagValues,
  isEntryPoint,
  type Program,
  parseProgramFlags,
  runMain,
  runProgram,
  UsageError,
} from 'voting-mixin/runtime';
import { appVersion } from '../shared/service-flags.js';
import { formatNotification, startWebhookReceiver } from './webhook.js';

export const alertReceiverFlags = {
  listen: {
    kind: 'string',
    env: 'LISTEN_ADDRESS',
    default: '127.0.0.1:5001',
    arg: 'HOST:PORT',
    help: 'address to listen on',
  },
  path: { kind: 'string', default: '/alerts', arg: 'PATH', help: 'where Alertmanager POSTs its notifications' },
  json: { kind: 'bool', default: false, help: 'print each notification as one JSON line' },
  runbooks: {
    kind: 'string',
    env: 'RUNBOOKS_DIR',
    default: '',
    arg: 'DIR',
    help: "serve DIR's generated runbooks (<Alert>.md) as HTML at GET /runbooks/<Alert>; empty: not served",
  },
} satisfies FlagSpecs;

export type AlertReceiverFlags = FlagValues<typeof alertReceiverFlags>;

const HOST_PORT = /^(.*):(\d+)$/;

function checkListen(values: AlertReceiverFlags): void {
  const m = HOST_PORT.exec(values.listen);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`--listen must be HOST:PORT, got "${values.listen}"`);
  if (!values.path.startsWith('/')) throw new UsageError(`--path must start with /, got "${values.path}"`);
}

/** Listens until SIGTERM/SIGINT; a failed start (port taken) throws, which the program frame turns into exit 1. */
async function serve(flags: AlertReceiverFlags): Promise<number> {
  const [, host, port] = HOST_PORT.exec(flags.listen)!;
  const receiver = await startWebhookReceiver({
    host: host || '0.0.0.0',
    port: Number(port),
    path: flags.path,
    onNotification: (n) => process.stdout.write(`${flags.json ? JSON.stringify(n) : formatNotification(n)}\n`),
    ...(flags.runbooks ? { runbooksDir: flags.runbooks } : {}),
  });
  process.stderr.write(`alert-receiver: listening on ${host || '0.0.0.0'}:${receiver.port}${flags.path}\n`);
  if (flags.runbooks) process.stderr.write(`alert-receiver: serving runbooks from ${flags.runbooks} at /runbooks/\n`);
  await new Promise<void>((r) => {
    process.once('SIGTERM', r);
    process.once('SIGINT', r);
  });
  await receiver.close();
  return 0;
}

export const alertReceiverProgram: Program<typeof alertReceiverFlags> = {
  name: 'alert-receiver',
  summary:
    'Receives Alertmanager webhook notifications (POST PATH) and prints them; with --runbooks, serves the generated runbooks as HTML at GET /runbooks/<Alert>. GET /health answers 200.',
  flags: alertReceiverFlags,
  check: checkListen,
  version: appVersion,
  run: serve,
};

/** The flags and environment, checked as at start-up. @throws UsageError naming the flag. */
export const parseAlertReceiverFlags = (argv: readonly string[], env: Readonly<Record<string, string | undefined>>) =>
  parseProgramFlags(alertReceiverProgram, argv, env);

if (isEntryPoint(import.meta.url)) runMain('alert-receiver', () => runProgram(alertReceiverProgram), { exit: true });
