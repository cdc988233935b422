/**
 * The three entry points' command lines: the app's own checks on top of the runtime's flag parser
 * (same flag names, variables and defaults as before), and, on the compiled services, that a usage
 * mistake is ONE line on stderr with exit code 2 and that --help lists flags and variables.
 */

import { describe, expect, it } from 'vitest';
import { UsageError } from 'voting-mixin/runtime';
import { freePort, waitForHttp } from '../../test/support/index.js';
import { parseAlertReceiverFlags } from '../alert-receiver/main.js';
import { parseVoteFlags } from '../vote/main.js';
import { parseWorkerFlags } from '../worker/main.js';
import { exited, type Service, spawnService } from './helpers.js';

describe('vote flags', () => {
  it('lets a flag win over its environment variable, and the variable over the default', () => {
    const { values } = parseVoteFlags(['--port', '9000', '--no-metrics'], { PORT: '7000', VOTE_OPTIONS: 'a, b' });
    expect(values).toEqual({
      port: 9000,
      host: '0.0.0.0',
      redisUrl: 'redis://127.0.0.1:6379',
      databaseUrl: undefined,
      queue: 'votes',
      options: ['a', 'b'],
      enableAdmin: false,
      metrics: false,
      logLevel: 'info',
      cookieSecretFile: undefined,
      cookieSecret: undefined,
      voteRateLimit: 10,
      newVoterRateLimit: 0,
      behindProxy: false,
    });
    const env = {
      HOST: '127.0.0.1',
      REDIS_URL: 'redis://r:1',
      DATABASE_URL: 'postgres://p/db',
      QUEUE_KEY: 'q',
      ENABLE_ADMIN: 'true',
      METRICS: '0',
      LOG_LEVEL: 'warn',
    };
    expect(parseVoteFlags([], env).values).toMatchObject({
      host: '127.0.0.1',
      redisUrl: 'redis://r:1',
      databaseUrl: 'postgres://p/db',
      queue: 'q',
      enableAdmin: true,
      metrics: false,
      logLevel: 'warn',
    });
  });

  it('names the culprit on bad input', () => {
    const bad: Array<[string[], Record<string, string>, RegExp]> = [
      [['--port', 'x'], {}, /^--port: "x" is not a whole number/],
      [['--port', '70000'], {}, /^--port: .* from 0 to 65535/],
      [[], { PORT: '-1' }, /^environment variable PORT/],
      [['--options', 'cats'], {}, /^--options needs at least two distinct options, got "cats"/],
      [['--options', 'cats,cats'], {}, /at least two distinct/],
      [['--options', 'a b,c'], {}, /^--options: "a b" must be 1-64 characters/],
      [['--log-level', 'loud'], {}, /^--log-level: "loud" is not one of fatal, error/],
      [['--nope'], {}, /^unknown option --nope; valid: --port, /],
      [['stray'], {}, /unexpected argument "stray"/],
    ];
    for (const [argv, env, message] of bad) {
      expect(() => parseVoteFlags(argv, env), argv.join(' ')).toThrow(UsageError);
      expect(() => parseVoteFlags(argv, env), argv.join(' ')).toThrow(message);
    }
    expect(parseVoteFlags(['--help'], {}).help).toBe(true);
  });
});

describe('worker flags', () => {
  it('keeps its names, variables and defaults', () => {
    const { values } = parseWorkerFlags(['--worker-id', 'w1'], { BATCH_SIZE: '50', DB_POOL_SIZE: '8' });
    expect(values).toEqual({
      port: 9102,
      host: '0.0.0.0',
      redisUrl: 'redis://127.0.0.1:6379',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/voting',
      queue: 'votes',
      workerId: 'w1',
      batchSize: 50,
      poolSize: 8,
      enableAdmin: false,
      logLevel: 'info',
    });
    expect(parseWorkerFlags([], { WORKER_ID: 'env-w' }).values.workerId).toBe('env-w');
  });

  it('names the culprit on bad input', () => {
    const bad: Array<[string[], Record<string, string>, RegExp]> = [
      [['--batch-size', '0'], {}, /^--batch-size: "0" is not a whole number from 1 to 10000/],
      [['--batch-size', '10001'], {}, /^--batch-size: .* from 1 to 10000/],
      [[], { DB_POOL_SIZE: '0' }, /^environment variable DB_POOL_SIZE: "0" is not a whole number of at least 1/],
      [['--worker-id', 'a b'], {}, /^--worker-id "a b" must be 1-64 characters/],
      [['--enable-admin=maybe'], {}, /^--enable-admin: "maybe" is not true or false/],
    ];
    for (const [argv, env, message] of bad) {
      expect(() => parseWorkerFlags(argv, env), argv.join(' ')).toThrow(message);
    }
  });
});

describe('alert-receiver flags', () => {
  it('takes --listen, LISTEN_ADDRESS or the default, and checks HOST:PORT', () => {
    expect(parseAlertReceiverFlags([], {}).values).toEqual({
      listen: '127.0.0.1:5001',
      path: '/alerts',
      json: false,
      runbooks: '',
    });
    expect(parseAlertReceiverFlags([], { LISTEN_ADDRESS: '0.0.0.0:6001' }).values.listen).toBe('0.0.0.0:6001');
    expect(parseAlertReceiverFlags(['--listen', ':7001', '--json'], { LISTEN_ADDRESS: 'x:1' }).values).toMatchObject({
      listen: ':7001',
      json: true,
    });
    expect(() => parseAlertReceiverFlags(['--listen', 'nowhere'], {})).toThrow(
      /^--listen must be HOST:PORT, got "nowhere"/,
    );
    expect(() => parseAlertReceiverFlags(['--listen', 'h:99999'], {})).toThrow(UsageError);
  });
});

/** Runs a compiled service to its exit; returns the code and what it printed. */
async function run(service: Service, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnService(service, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const code = await exited(child);
  return { code, stdout, stderr };
}

describe('compiled entry points', () => {
  const usageErrors: Array<[Service, string[], NodeJS.ProcessEnv, RegExp]> = [
    ['vote', ['--port', 'x'], {}, /^vote: --port: "x" is not a whole number from 0 to 65535 \(see --help\)\n$/],
    [
      'vote',
      [],
      { VOTE_OPTIONS: 'cats' },
      /^vote: --options needs at least two distinct options, got "cats" \(see --help\)\n$/,
    ],
    [
      'worker',
      ['--batch-size', '0'],
      {},
      /^worker: --batch-size: "0" is not a whole number from 1 to 10000 \(see --help\)\n$/,
    ],
    ['worker', [], { LOG_LEVEL: 'loud' }, /^worker: environment variable LOG_LEVEL: "loud" is not one of fatal, /],
    [
      'alert-receiver',
      ['--listen', 'nowhere'],
      {},
      /^alert-receiver: --listen must be HOST:PORT, got "nowhere" \(see --help\)\n$/,
    ],
  ];
  for (const [service, args, env, message] of usageErrors) {
    it(`${service} ${args.join(' ') || JSON.stringify(env)}: one line on stderr, exit 2`, async () => {
      const r = await run(service, args, env);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    });
  }

  it('--help lists every flag with its environment variable, and exits 0', async () => {
    const vote = await run('vote', ['--help']);
    expect(vote.code).toBe(0);
    expect(vote.stdout).toMatch(/^usage: vote \[options\]/);
    for (const [flag, env] of [
      ['--port', 'PORT'],
      ['--redis-url', 'REDIS_URL'],
      ['--database-url', 'DATABASE_URL'],
      ['--queue', 'QUEUE_KEY'],
      ['--options', 'VOTE_OPTIONS'],
      ['--enable-admin', 'ENABLE_ADMIN'],
      ['--metrics', 'METRICS'],
      ['--log-level', 'LOG_LEVEL'],
    ]) {
      expect(vote.stdout).toMatch(new RegExp(`${flag}\\b.*\\s${env}\\s`));
    }
    const worker = await run('worker', ['--help']);
    expect(worker.code).toBe(0);
    expect(worker.stdout).toMatch(/--worker-id ID\s+WORKER_ID\s/);
    expect(worker.stdout).toMatch(/--batch-size INT\s+BATCH_SIZE\s.*\(default 200\)/);
    const receiver = await run('alert-receiver', ['-h']);
    expect(receiver.code).toBe(0);
    expect(receiver.stdout).toMatch(/--listen HOST:PORT\s+LISTEN_ADDRESS\s.*\(default 127\.0\.0\.1:5001\)/);
  });

  it('alert-receiver prints each notification it receives and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawnService('alert-receiver', ['--listen', `127.0.0.1:${port}`]);
    await waitForHttp(`http://127.0.0.1:${port}/health`, 15_000);
    const res = await fetch(`http://127.0.0.1:${port}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        receiver: 'test',
        status: 'firing',
        groupLabels: {},
        commonLabels: {},
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'RedisDown', severity: 'critical' },
            annotations: { summary: 'Redis is down' },
            startsAt: new Date().toISOString(),
            endsAt: '0001-01-01T00:00:00Z',
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(child.output()).toMatch(/FIRING +RedisDown \{severity="critical"\} — Redis is down/);
  });
});
