#!/usr/bin/env node
/**
 * `node reference-app/build/alert-receiver/main.js --listen 0.0.0.0:5001`: prints every Alertmanager
 * webhook notification it receives (one line per alert, or the raw JSON with --json). The compose
 * stack's stand-in for a pager; the demo runs the same receiver in-process.
 */
import {
  type FlagSpecs,
  type FlagValues,
  flagTable,
  isEntryPoint,
  type ParsedFlags,
  parseFlags,
  runMain,
  UsageError,
} from 'voting-mixin/runtime';
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
} satisfies FlagSpecs;

export type AlertReceiverFlags = FlagValues<typeof alertReceiverFlags>;

const USAGE = `usage: alert-receiver [options]

Receives Alertmanager webhook notifications (POST PATH) and prints them. GET /health answers 200.

Options (a flag wins over its environment variable):
`;

const HOST_PORT = /^(.*):(\d+)$/;

/** The flags and environment, checked. @throws UsageError naming the flag at fault. */
export function parseAlertReceiverFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedFlags<typeof alertReceiverFlags> {
  const parsed = parseFlags(alertReceiverFlags, argv, { env });
  const { listen } = parsed.values;
  const m = HOST_PORT.exec(listen);
  if (!parsed.help && (!m || Number(m[2]) > 65535)) {
    throw new UsageError(`--listen must be HOST:PORT, got "${listen}"`);
  }
  return parsed;
}

async function main(): Promise<number> {
  let flags: AlertReceiverFlags;
  try {
    const parsed = parseAlertReceiverFlags(process.argv.slice(2), process.env);
    if (parsed.help) {
      process.stdout.write(`${USAGE}${flagTable(alertReceiverFlags)}\n`);
      return 0;
    }
    flags = parsed.values;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`alert-receiver: ${err.message}\n`);
    return 2;
  }
  const [, host, port] = HOST_PORT.exec(flags.listen)!;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  try {
    receiver = await startWebhookReceiver({
      host: host || '0.0.0.0',
      port: Number(port),
      path: flags.path,
      onNotification: (n) => process.stdout.write(`${flags.json ? JSON.stringify(n) : formatNotification(n)}\n`),
    });
  } catch (err) {
    // The environment failed us (port taken, bad address): one line, exit 1.
    process.stderr.write(`alert-receiver: ${(err as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`alert-receiver: listening on ${flags.listen}${flags.path}\n`);
  await new Promise<void>((r) => {
    process.once('SIGTERM', r);
    process.once('SIGINT', r);
  });
  await receiver.close();
  return 0;
}

if (isEntryPoint(import.meta.url)) runMain('alert-receiver', main, { exit: true });
