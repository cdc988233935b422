#!/usr/bin/env node
/**
 * `node build/scripts/alert-receiver.js --listen 0.0.0.0:5001`: prints every Alertmanager webhook
 * notification it receives (one line per alert, or the raw JSON with --json). The compose stack's
 * stand-in for a pager; the demo runs the same receiver in-process.
 */
import { parseArgs } from 'node:util';
import { formatNotification, startWebhookReceiver } from './lib/stack/webhook.js';

const help = `Usage: alert-receiver [--listen HOST:PORT] [--path /alerts] [--json]

Receives Alertmanager webhook notifications (POST PATH) and prints them. GET /health answers 200.
  --listen HOST:PORT   default 127.0.0.1:5001 (env LISTEN_ADDRESS)
  --path PATH          default /alerts
  --json               print each notification as one JSON line
`;

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: {
        listen: { type: 'string' },
        path: { type: 'string', default: '/alerts' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`alert-receiver: ${(e as Error).message}\n${help}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const listen = values.listen ?? process.env.LISTEN_ADDRESS ?? '127.0.0.1:5001';
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m || Number(m[2]) > 65535) {
    process.stderr.write(`alert-receiver: --listen must be HOST:PORT, got "${listen}"\n`);
    return 2;
  }
  const receiver = await startWebhookReceiver({
    host: m[1] || '0.0.0.0',
    port: Number(m[2]),
    path: values.path,
    onNotification: (n) => process.stdout.write(`${values.json ? JSON.stringify(n) : formatNotification(n)}\n`),
  });
  process.stderr.write(`alert-receiver: listening on ${listen}${values.path}\n`);
  await new Promise<void>((r) => {
    process.once('SIGTERM', r);
    process.once('SIGINT', r);
  });
  await receiver.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`alert-receiver: ${e.message}\n`);
    process.exit(1);
  },
);
