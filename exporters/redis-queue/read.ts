/**
 * Talking to one Redis for a collection: waiting for the connection, SCAN, TYPE probes and the data
 * commands, pipelined in chunks with a few pipelines in flight. Replies are read straight into one
 * reused `KeyReading` and handed on key by key, with no per-key await or allocation.
 *
 * Keys are known by their label (key-names.ts: the name, escaped where it is not valid UTF-8) and
 * sent to Redis as their exact bytes (`Jobs.names`), so a key named with any bytes is read.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { NotConnectedError } from './errors.js';
import { type KeyName, keyName, labelOfBytes } from './key-names.js';
import { HEADS_SCRIPT, isHead, readHead, readHeads } from './list-heads.js';
import { type PermissionLogger, PermissionWarnings } from './permissions.js';
import {
  type DataType,
  handlers,
  type KeyReading,
  type Reply,
  STREAM_RANGE_SCRIPT,
  streamBacklog,
} from './queue-types.js';
import { addHealthCommands } from './redis-info/commands.js';
import { type Run, unreadable } from './run.js';
import { isKeyRefusal, isRefusal, type ScriptShas, Scripts } from './scripts.js';

export interface ReaderLogger extends PermissionLogger {
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
  private readonly scripts: Scripts;

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
    const permissions = new PermissionWarnings(opts.logger, opts.secrets);
    this.scripts = new Scripts(redis, [HEADS_SCRIPT, STREAM_RANGE_SCRIPT], (m) => permissions.report('scripts', m));
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

  /**
   * The labels of all keys matching the pattern (SCAN, never KEYS), filtered by type on the server
   * when known. Names come as bytes: a name that is not UTF-8 would not survive decoding.
   */
  async scan({ pattern, type, deadlineAt, run }: ScanRequest): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      if (!run.live || Date.now() >= deadlineAt) break;
      const [nextCursor, keys] = type
        ? await this.redis.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', this.opts.scanCount, 'TYPE', type)
        : await this.redis.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', this.opts.scanCount);
      for (const k of keys) found.add(labelOfBytes(k));
      cursor = String(nextCursor);
    } while (cursor !== '0');
    return [...found];
  }

  /**
   * TYPE for the run's untyped keys, `pipelineSize` per pipeline: each answer (`none` for a key
   * gone since it was found) goes to `typed`. A key whose TYPE failed leaves its queue unread
   * (run.ts `unreadable`).
   */
  async probeTypes(run: Run, typed: (key: string, plan: number, type: string) => void): Promise<void> {
    const { untyped } = run.jobs;
    const size = this.opts.pipelineSize;
    for (let at = 0; at < untyped.length && run.live; at += size) {
      const slice = untyped.slice(at, at + size);
      const p = this.redis.pipeline();
      for (const [key] of slice) p.type(keyName(key));
      const replies = (await p.exec()) as Reply[] | null;
      if (!run.live) return;
      slice.forEach(([key, plan], j) => {
        const t = replies?.[j];
        if (!t || t[0]) unreadable(run, plan, key, t?.[0] ?? new Error('no reply to TYPE'), false);
        else typed(key, plan, String(t[1]));
      });
    }
  }

  /**
   * Reads every job of the run, chunk by chunk, with up to PIPELINE_WINDOW pipelines in flight;
   * chunks without streams go through the heads script (list-heads.ts). Stops at the deadline.
   * @returns false when the deadline left chunks unread.
   */
  async readAll({ run, deadlineAt, reading, record }: ReadRequest): Promise<boolean> {
    const { jobs } = run;
    const { scripts } = this;
    const chunks = jobs.chunks(this.opts.pipelineSize);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length && run.live && Date.now() < deadlineAt) {
        const chunk = chunks[next++]!;
        if (scripts.enabled && isHead(jobs.types[chunk[0]!]!)) {
          const flat = await readHeads(scripts, jobs.names, jobs.types, chunk);
          if (!run.live) return;
          if (flat) {
            const now = Date.now();
            for (let i = 0; i < chunk.length; i++) {
              const j = chunk[i]!;
              readHead(flat, 2 * i, jobs.types[j]!, now, reading);
              record(j);
            }
            continue;
          }
        }
        const replies = await this.execScripted((p, scripts) => {
          for (const j of chunk) handlers[jobs.types[j]!].add(p, jobs.names[j]!, scripts);
        });
        if (!run.live) return;
        const now = Date.now();
        let at = 0;
        // Streams with consumer groups need a second round (which commands depends on the groups):
        // their first-round readings wait here, copied, since `reading` is reused.
        const backlogs: Array<[j: number, r: KeyReading]> = [];
        for (const j of chunk) {
          const h = handlers[jobs.types[j]!];
          h.read(replies, at, now, reading);
          at += h.commands;
          if (streamBacklog.needed(reading)) backlogs.push([j, { ...reading }]);
          else record(j);
        }
        if (backlogs.length > 0) {
          await this.readBacklogs(jobs.names, backlogs, run);
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
  private async readBacklogs(
    names: readonly KeyName[],
    backlogs: Array<[number, KeyReading]>,
    run: Run,
  ): Promise<void> {
    let commands = 0;
    for (const [, r] of backlogs) commands += streamBacklog.commands(r.groups!);
    let replies: Reply[] = [];
    // Every group caught up with nothing pending: nothing to ask, the readings still need their 0.
    if (commands > 0) {
      replies = await this.execScripted((p, scripts) => {
        for (const [j, r] of backlogs) streamBacklog.add(p, names[j]!, r.groups!, scripts);
      });
      if (!run.live) return;
    }
    const now = Date.now();
    let at = 0;
    for (const [, r] of backlogs) {
      streamBacklog.read(replies, at, now, r);
      at += streamBacklog.commands(r.groups!);
    }
  }

  /**
   * Builds a pipeline with `build` (given the scripts when they may be used, else undefined), runs
   * it and returns its replies. A NOSCRIPT reply (scripts flushed since they were loaded) loads them
   * and runs it again; a refusal turns scripts off and runs it with plain commands.
   */
  private async execScripted(
    build: (p: ChainableCommander, scripts: ScriptShas | undefined) => void,
  ): Promise<Reply[]> {
    // After a key refusal this pipeline alone goes plain (Scripts.keyRefused).
    let plain = false;
    for (let attempt = 0; ; attempt++) {
      const scripted = !plain && (await this.scripts.load());
      const p = this.redis.pipeline();
      // Where the pipeline calls a script: only those replies say whether scripts run here. A NOPERM
      // on XINFO is an error to report; one on EVALSHA (the command, or its keys) refuses scripts.
      const scriptAt: number[] = [];
      const { scripts } = this;
      const shas: ScriptShas = {
        sha: (s) => {
          scriptAt.push(p.length);
          return scripts.sha(s);
        },
      };
      build(p, scripted ? shas : undefined);
      const replies = (await p.exec()) as Reply[] | null;
      if (!replies) throw new Error('pipeline returned no replies');
      if (scriptAt.length === 0) return replies;
      const refused = scriptAt.map((i) => replies[i]?.[0]).find((e) => e && isRefusal(e.message));
      if (!refused) {
        scripts.ran();
        return replies;
      }
      if (attempt > 0) return replies;
      if (refused.message.startsWith('NOSCRIPT')) this.scripts.unload();
      else if (isKeyRefusal(refused.message)) {
        this.scripts.keyRefused(refused.message);
        plain = true;
      } else this.scripts.refuse(refused.message);
    }
  }
}
