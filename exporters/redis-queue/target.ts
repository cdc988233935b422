/**
 * One Redis being watched: its client, its own Registry and its collector. The main target backs
 * /metrics; `TargetPool` keeps a bounded set of others for /scrape?target= (multi-target mode).
 */
import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { serviceRegistry } from 'voting-mixin/instrument';
import { redactSecrets } from 'voting-mixin/runtime';
import { type CollectorOptions, QueueCollector } from './collector.js';
import { type Credentials, type RedisTarget, redisTarget } from './redis-url.js';

export interface TargetSettings {
  collector: Omit<CollectorOptions, 'secrets' | 'logger'>;
  credentials: Credentials;
  tls: ConnectionOptions | undefined;
  logger: Logger;
}

export interface Target {
  display: string;
  redis: Redis;
  registry: Registry;
  collector: QueueCollector;
  lastUsed: number;
  close(): void;
}

/**
 * Connects (lazily, never throwing) and wires the collector; `registry` may already hold other
 * metrics (the main target's has the process metrics, a multi-target one only its own).
 */
export function openTarget(
  t: RedisTarget,
  s: TargetSettings,
  registry: Registry = serviceRegistry({ defaultMetrics: false }),
): Target {
  const log = s.logger.child({ redis: t.display });
  const redis = new Redis({
    ...t.options,
    lazyConnect: true,
    // Fail fast while Redis is down: the scrape reports redis_up 0 instead of queueing commands.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 4), 1000),
    connectionName: 'redis-queue-exporter',
  });
  // ioredis emits an error per reconnect attempt; log each distinct one once per outage.
  let lastError = '';
  // Set by close(): errors of a connection we are ending are not news ("reconnecting" would be false).
  let closing = false;
  redis.on('error', (e: Error) => {
    const msg = redactSecrets(e.message, t.secrets);
    if (msg !== lastError && !closing) log.warn({ err: msg }, 'Redis connection error; reconnecting');
    lastError = msg;
  });
  let everReady = false;
  let lost = false;
  redis.on('close', () => {
    if (everReady && !lost && !closing) log.warn('Redis connection lost; reconnecting');
    lost = true;
  });
  redis.on('ready', () => {
    log.info(everReady ? 'Redis connection restored' : 'connected to Redis');
    everReady = true;
    lost = false;
    lastError = '';
  });
  redis.connect().catch(() => undefined); // failures arrive as 'error' events and are retried
  const collector = new QueueCollector(redis, registry, { ...s.collector, secrets: t.secrets, logger: log });
  return {
    display: t.display,
    redis,
    registry,
    collector,
    lastUsed: Date.now(),
    close: () => {
      closing = true;
      redis.disconnect();
    },
  };
}

/** Targets for /scrape?target=, least recently used dropped first when more than `max` are asked for. */
export class TargetPool {
  private readonly targets = new Map<string, Target>();

  constructor(
    private readonly settings: TargetSettings,
    readonly max: number,
  ) {}

  /** @throws RedisUrlError (password masked) when the address is not a Redis URL. */
  get(address: string): Target {
    let t = this.targets.get(address);
    if (t) {
      // Re-insert to keep Map order = recency.
      this.targets.delete(address);
    } else {
      t = openTarget(redisTarget(address, this.settings.credentials, this.settings.tls), this.settings);
      while (this.targets.size >= this.max) {
        const [oldKey, old] = this.targets.entries().next().value as [string, Target];
        old.close();
        this.targets.delete(oldKey);
      }
    }
    t.lastUsed = Date.now();
    this.targets.set(address, t);
    return t;
  }

  closeAll(): void {
    for (const t of this.targets.values()) t.close();
    this.targets.clear();
  }
}
