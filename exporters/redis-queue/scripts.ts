/**
 * The exporter's read-only Lua scripts on one Redis: loaded once (SCRIPT LOAD) and called by SHA,
 * alone or inside a pipeline. They exist so that Redis answers with a few numbers and ids instead
 * of whole queue items. A Redis that refuses scripts (ACL without @scripting, scripting disabled)
 * turns them off for good: the readers fall back to plain commands, which transfer the items.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeyName } from './key-names.js';

export class LuaScript {
  readonly sha: string;
  constructor(readonly body: string) {
    this.sha = createHash('sha1').update(body).digest('hex');
  }
}

/** Redis's answer when scripts are not allowed here (as opposed to a script that failed). */
export function isRefusal(message: string): boolean {
  return /^(NOPERM|NOSCRIPT|ERR unknown command|ERR .*(disabled|not allowed))/i.test(message);
}

/** A reply inside a pipeline saying that EVALSHA cannot run here (or not yet: NOSCRIPT). */
export function isScriptRefusal(message: string): boolean {
  return message.startsWith('NOSCRIPT') || (isRefusal(message) && /evalsha|script/i.test(message));
}

export class Scripts {
  /** False once this Redis refused scripts: plain commands from then on. */
  enabled = true;
  /** Whether every script is known to be loaded on the current connection. */
  private loaded = false;

  /** `onRefused` gets Redis's reason (unredacted) when scripts are turned off. */
  constructor(
    private readonly redis: Redis,
    private readonly scripts: readonly LuaScript[],
    private readonly onRefused: (message: string) => void,
  ) {
    // A reconnect may be to a restarted Redis, which lost its scripts.
    redis.on('ready', () => {
      this.loaded = false;
    });
  }

  /** Turns scripts off after a refusal with Redis's `message`. */
  refuse(message: string): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.onRefused(message);
  }

  /** The scripts were flushed (a NOSCRIPT reply): load them again before the next use. */
  unload(): void {
    this.loaded = false;
  }

  /** Loads every script unless done on this connection. @returns whether scripts can be used */
  async load(): Promise<boolean> {
    if (!this.enabled) return false;
    if (this.loaded) return true;
    try {
      for (const s of this.scripts) await this.redis.script('LOAD', s.body);
      this.loaded = true;
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      if (!isRefusal(m)) throw e;
      this.refuse(m);
    }
    return this.enabled;
  }

  /** EVALSHA of `script`, loading it on NOSCRIPT; undefined when scripts are refused here. */
  async call(script: LuaScript, keys: readonly KeyName[], args: ReadonlyArray<string | number>): Promise<unknown> {
    for (let attempt = 0; attempt < 2 && this.enabled; attempt++) {
      try {
        return await this.redis.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (e) {
        const m = e instanceof Error ? e.message : String(e);
        if (m.startsWith('NOSCRIPT') && attempt === 0) {
          this.loaded = false;
          if (await this.load()) continue;
          return undefined;
        }
        if (!isRefusal(m)) throw e;
        this.refuse(m);
      }
    }
    return undefined;
  }
}
