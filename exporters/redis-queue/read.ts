/**
 * Talking to one Redis for a collection: waiting for the connection, SCAN, TYPE probes and the data
 * commands, pipelined in chunks with a few pipelines in flight. Replies are read straight into one
 * reused `KeyReading` and handed on key by key, with no per-key await or allocation.
 */
import type { Redis } from 'ioredis';
import { redactSecrets } from 'voting-mixin/runtime';
import { NotConnectedError } from './errors.js';
import type { KeyTypes } from './key-types.js';
import { ListHeadsScript, readListHead } from './list-heads.js';
import { type DataType, handlers, type KeyReading, type Reply, streamBacklog } from './queue-types.js';
import { addHealthCommands } from './redis-info/commands.js';
import type { Run } from './run.js';

export interface ReaderLogger {
  debug(obj: object, msg: string): void;
}

export interface ReaderOptions {
  /** Commands per pipeline (one round trip each). */
  pipelineSize: number;
  /** COUNT hint of each SCAN call. */
  scanCount: number;
  /** Strings to mask in anything logged (the Redis password). */
  secrets: readonly string[];
  logger?: ReaderLogger | undefined;
}

export interface ScanRequest {
  pattern: string;
  /** Filter on the server (SCAN TYPE) when the type is known. */
  type: DataType | undefined;
  deadlineAt: number;
  run: Run;
}

export interface ReadRequest {
  run: Run;
  deadlineAt: number;
  /** Where each key's replies are read into before `record(j)` is called for job j. */
  reading: KeyReading;
  record: (j: number) => void;
}

/** How many pipelines may be in flight at once: enough to hide the round trip, few enough to stay polite. */
const PIPELINE_WINDOW = 3;

/** How long a scrape waits for a connection that is being established (start-up, reconnect). */
const CONNECT_WAIT_MS = 1000;

export class RedisReader {
  /** Why the connection is down (e.g. WRONGPASS), so a failed scrape names the real reason. */
  private lastConnectionError: string | undefined;
  private readonly listHeads: ListHeadsScript;

  constructor(
    private readonly redis: Redis,
    private readonly opts: ReaderOptions,
  ) {
    redis.on('error', (e: Error) => {
      this.lastConnectionError = e.message;
    });
    redis.on('ready', () => {
      this.lastConnectionError = undefined;
    });
    this.listHeads = new ListHeadsScript(redis, (m) =>
      opts.logger?.debug({ err: redactSecrets(m, opts.secrets) }, 'scripts refused; using plain pipelined commands'),
    );
  }

  /** Resolves when the connection is ready, waiting a little for one being established. @throws NotConnectedError */
  async ready(deadlineAt: number): Promise<void> {
    const r = this.redis;
    const status = (): string => r.status;
    if (status() === 'ready') return;
    if (r.status === 'wait') void r.connect().catch(() => undefined);
    if (r.status === 'connecting' || r.status === 'connect' || r.status === 'wait') {
      const waitMs = Math.min(CONNECT_WAIT_MS, deadlineAt - Date.now());
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.max(0, waitMs));
        r.once('ready', done);
        function done(): void {
          clearTimeout(t);
          r.off('ready', done);
          resolve();
        }
      });
      if (status() === 'ready') return;
    }
    const why = this.lastConnectionError ? `: ${this.lastConnectionError}` : '';
    throw new NotConnectedError(`Redis is not connected (${status()})${why}`);
  }

  /**
   * The health commands (INFO ALL first, redis-info/commands.ts), then TYPE of each of `keys`, in
   * one pipeline: ioredis's [error, value] per command.
   */
  infoAndTypes(keys: readonly string[]): Promise<Reply[] | null> {
    const p = this.redis.pipeline();
    addHealthCommands(p);
    for (const key of keys) p.type(key);
    return p.exec() as Promise<Reply[] | null>;
  }

  /** All keys matching the pattern (SCAN, never KEYS), filtered by type on the server when known. */
  async scan({ pattern, type, deadlineAt, run }: ScanRequest): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      if (!run.live || Date.now() >= deadlineAt) break;
      const [nextCursor, keys] = type
        ? await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', this.opts.scanCount, 'TYPE', type)
        : await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', this.opts.scanCount);
      for (const k of keys) found.add(k);
      cursor = nextCursor;
    } while (cursor !== '0');
    return [...found];
  }

  /**
   * TYPE for the run's untyped keys, `pipelineSize` per pipeline: each answer goes into `types`
   * and, unless the key is gone, into the run's jobs. A reply error is kept as the run's first.
   */
  async probeTypes(run: Run, types: KeyTypes): Promise<void> {
    const { jobs } = run;
    const { untyped } = jobs;
    const size = this.opts.pipelineSize;
    for (let at = 0; at < untyped.length && run.live; at += size) {
      const slice = untyped.slice(at, at + size);
      const p = this.redis.pipeline();
      for (const [key] of slice) p.type(key);
      const replies = (await p.exec()) as Reply[] | null;
      if (!run.live) return;
      slice.forEach(([key, plan], j) => {
        const t = replies?.[j];
        if (!t || t[0]) {
          run.firstError ??= t?.[0] ?? new Error('no reply to TYPE');
          return;
        }
        const type = String(t[1]);
        if (type === 'none') return; // gone between SCAN and TYPE
        types.set(key, type);
        jobs.add(key, type, plan);
      });
    }
  }

  /**
   * Reads every job of the run, chunk by chunk, with up to PIPELINE_WINDOW pipelines in flight;
   * chunks of lists only go through the list-heads script. Stops at the deadline.
   * @returns false when the deadline left chunks unread.
   */
  async readAll({ run, deadlineAt, reading, record }: ReadRequest): Promise<boolean> {
    const { jobs } = run;
    const chunks = jobs.chunks(this.opts.pipelineSize);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length && run.live && Date.now() < deadlineAt) {
        const [start, end] = chunks[next++]!;
        if (this.listHeads.enabled && jobs.allLists(start, end)) {
          const flat = await this.listHeads.read(jobs.keys.slice(start, end));
          if (!run.live) return;
          if (flat) {
            const now = Date.now();
            for (let j = start; j < end; j++) {
              readListHead(flat, 2 * (j - start), now, reading);
              record(j);
            }
            continue;
          }
        }
        const p = this.redis.pipeline();
        for (let j = start; j < end; j++) handlers[jobs.types[j]!].add(p, jobs.keys[j]!);
        const replies = (await p.exec()) as Reply[] | null;
        if (!run.live) return;
        if (!replies) throw new Error('pipeline returned no replies');
        const now = Date.now();
        let at = 0;
        // Streams with consumer groups need a second round (which commands depends on the groups):
        // their first-round readings wait here, copied, since `reading` is reused.
        const backlogs: Array<[j: number, r: KeyReading]> = [];
        for (let j = start; j < end; j++) {
          const h = handlers[jobs.types[j]!];
          h.read(replies, at, now, reading);
          at += h.commands;
          if (streamBacklog.needed(reading)) backlogs.push([j, { ...reading }]);
          else record(j);
        }
        if (backlogs.length > 0) {
          await this.readBacklogs(jobs.keys, backlogs, run);
          if (!run.live) return;
          for (const [j, r] of backlogs) {
            Object.assign(reading, r);
            record(j);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PIPELINE_WINDOW, chunks.length) }, worker));
    return !(Date.now() >= deadlineAt && next < chunks.length);
  }

  /** The consumer-group round of the chunk's streams, in one pipeline, read into their readings. */
  private async readBacklogs(keys: readonly string[], backlogs: Array<[number, KeyReading]>, run: Run): Promise<void> {
    let commands = 0;
    for (const [, r] of backlogs) commands += streamBacklog.commands(r.groups!);
    let replies: Reply[] | null = [];
    // Every group caught up with nothing pending: nothing to ask, the readings still need their 0.
    if (commands > 0) {
      const p = this.redis.pipeline();
      for (const [j, r] of backlogs) streamBacklog.add(p, keys[j]!, r.groups!);
      replies = (await p.exec()) as Reply[] | null;
      if (!run.live) return;
      if (!replies) throw new Error('pipeline returned no replies');
    }
    const now = Date.now();
    let at = 0;
    for (const [, r] of backlogs) {
      streamBacklog.read(replies, at, now, r);
      at += streamBacklog.commands(r.groups!);
    }
  }
}
