/**
 * The exporter's read-only Lua scripts on one Redis: loaded once (SCRIPT LOAD) and called by SHA,
 * alone or inside a pipeline. They exist so that Redis answers with a few numbers and ids instead
 * of whole queue items.
 *
 * Each script is declared `no-writes` (a `#!lua flags=no-writes` shebang, Redis ≥ 7.0): Redis
 * holds every script without flags during a write pause (CLIENT PAUSE WRITE, which FAILOVER and
 * maintenance use), as it might write, so a collection would time out with its queues unread; a
 * flagged one runs like a plain read, on a read-only replica too. Redis before 7.0 does not compile
 * a shebang: its first SCRIPT LOAD error switches this connection to the same code without one.
 *
 * A Redis that refuses scripts (ACL without @scripting, scripting disabled) turns them off: the
 * readers fall back to plain commands, which transfer whole items. They are tried again after
 * RETRY_MS or a reconnect, so a permission granted later is taken up without a restart.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeyName } from './key-names.js';

/** Declares a script read-only to Redis ≥ 7.0 (see above). */
export const NO_WRITES_SHEBANG = '#!lua flags=no-writes';

/** How long scripts stay off after a refusal before they are tried again. */
export const RETRY_MS = 5 * 60_000;

const sha1 = (body: string): string => createHash('sha1').update(body).digest('hex');

export class LuaScript {
  /** For Redis ≥ 7.0: the code under the no-writes shebang. */
  readonly body: string;
  readonly sha: string;
  /** For Redis before 7.0, which rejects a shebang: the code alone. */
  readonly legacyBody: string;
  readonly legacySha: string;
  constructor(code: string) {
    this.body = `${NO_WRITES_SHEBANG}\n${code}`;
    this.sha = sha1(this.body);
    this.legacyBody = code;
    this.legacySha = sha1(code);
  }
}

/** The SHA to call each script by on a connection whose scripts are loaded. */
export interface ScriptShas {
  sha(script: LuaScript): string;
}

/** Redis's answer when scripts are not allowed here (as opposed to a script that failed). */
export function isRefusal(message: string): boolean {
  return /^(NOPERM|NOSCRIPT|ERR unknown command|ERR .*(disabled|not allowed))/i.test(message);
}

/**
 * A refusal of the keys a script was called with, not of scripts: the user may not access one of
 * them ("NOPERM this user has no permissions to access one of the keys used as arguments" in 7.0,
 * "…access the 'k' key" later), or has read-only key access (%R~), which scripts' keys do not pass.
 */
export function isKeyRefusal(message: string): boolean {
  return /^NOPERM\b.*\bkeys?\b/i.test(message);
}

/** Key refusals in a row, with no script running between them, that mean every key is refused (%R~). */
const KEY_REFUSALS_FOR_ALL = 3;

/**
 * SCRIPT LOAD's answer to a shebang on Redis before 7.0, which compiles the body inside a function
 * (`function f_<sha>() #!lua … end`): "ERR Error compiling script (new function): user_script:1:
 * unexpected symbol near '#'".
 */
export function isShebangRejected(message: string): boolean {
  return /Error compiling script/i.test(message) && message.includes("'#'");
}

export class Scripts implements ScriptShas {
  /** Whether every script is known to be loaded on the current connection. */
  private loaded = false;
  /** This Redis is older than 7.0: the bodies without shebang. */
  private legacy = false;
  /** When scripts were last refused, and why; undefined while they are allowed. */
  private refusedAt: number | undefined;
  private refusal: string | undefined;
  /** Key refusals since a script last ran (see keyRefused). */
  private keyRefusals = 0;

  /**
   * `report` gets Redis's reason (unredacted) each time scripts are refused (at most once per
   * RETRY_MS), and undefined when they run again after a refusal.
   */
  constructor(
    private readonly redis: Redis,
    private readonly scripts: readonly LuaScript[],
    private readonly report: (refusal: string | undefined) => void,
  ) {
    // A reconnect may be to a restarted Redis, which lost its scripts, or to another one (a
    // failover), of another version or with other permissions.
    redis.on('ready', () => {
      this.loaded = false;
      this.keyRefusals = 0;
      this.legacy = false;
      this.refusedAt = undefined;
    });
  }

  /** False for RETRY_MS after this Redis refused scripts: plain commands meanwhile. */
  get enabled(): boolean {
    return this.refusedAt === undefined || Date.now() - this.refusedAt >= RETRY_MS;
  }

  sha(script: LuaScript): string {
    return this.legacy ? script.legacySha : script.sha;
  }

  /** Turns scripts off after a refusal with Redis's `message`. */
  refuse(message: string): void {
    if (!this.enabled) return;
    this.refusedAt = Date.now();
    this.refusal = message;
    this.loaded = false;
    this.report(message);
  }

  /**
   * A script was refused for its keys (isKeyRefusal): that call falls back to plain commands, which
   * report the one unreadable key as that queue's error, and scripts stay on for the other keys.
   * Only when key refusals keep coming with no script running between them (read-only key access,
   * %R~, refuses every key) are scripts turned off as after any refusal.
   */
  keyRefused(message: string): void {
    if (++this.keyRefusals >= KEY_REFUSALS_FOR_ALL) this.refuse(message);
  }

  /** A script ran: after a refusal, they are allowed again. */
  ran(): void {
    this.keyRefusals = 0;
    this.refusedAt = undefined;
    if (this.refusal === undefined) return;
    this.refusal = undefined;
    this.report(undefined);
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
      for (const s of this.scripts) await this.loadOne(s);
      this.loaded = true;
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      if (!isRefusal(m)) throw e;
      this.refuse(m);
    }
    return this.enabled;
  }

  /** SCRIPT LOAD of the body this Redis takes, finding out on the first shebang rejection. */
  private async loadOne(s: LuaScript): Promise<void> {
    if (this.legacy) {
      await this.redis.script('LOAD', s.legacyBody);
      return;
    }
    try {
      await this.redis.script('LOAD', s.body);
    } catch (e) {
      if (!isShebangRejected(e instanceof Error ? e.message : String(e))) throw e;
      this.legacy = true;
      await this.redis.script('LOAD', s.legacyBody);
    }
  }

  /**
   * EVALSHA of `script`, loaded first (and again on NOSCRIPT); undefined when scripts are refused
   * here. Loaded first because Redis cannot know the flags of a script it does not hold: it holds
   * an EVALSHA of an unknown SHA through a write pause, until the pause ends.
   */
  async call(script: LuaScript, keys: readonly KeyName[], args: ReadonlyArray<string | number>): Promise<unknown> {
    for (let attempt = 0; attempt < 2 && (await this.load()); attempt++) {
      try {
        const reply = await this.redis.evalsha(this.sha(script), keys.length, ...keys, ...args);
        this.ran();
        return reply;
      } catch (e) {
        const m = e instanceof Error ? e.message : String(e);
        if (m.startsWith('NOSCRIPT') && attempt === 0) {
          this.loaded = false;
          continue;
        }
        if (!isRefusal(m)) throw e;
        if (isKeyRefusal(m)) {
          this.keyRefused(m);
          return undefined;
        }
        this.refuse(m);
      }
    }
    return undefined;
  }
}
