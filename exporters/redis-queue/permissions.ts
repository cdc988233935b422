/**
 * The commands a collection can do without: CONFIG GET, SLOWLOG, LATENCY LATEST and the scripts
 * may be refused (an ACL user without them, `rename-command CONFIG ""` on a managed Redis) and the
 * collection is still complete, so a refusal is no scrape error and leaves redis_up alone. It is
 * not silent either: one warning per command and error, naming what is lost and the ACL rule that
 * gives it back, and again only when the error changes or the command is allowed again (as
 * redis_exporter's "LOGGED ONCE ONLY" warnings, which never say when it is fixed).
 */
import { metrics } from 'voting-mixin/config';
import { redactSecrets } from 'voting-mixin/runtime';
import { DEFAULT_DATABASES } from './redis-info/keyspace.js';

export type OptionalCommand = 'CONFIG GET' | 'SLOWLOG' | 'LATENCY LATEST' | 'scripts';

export interface PermissionLogger {
  warn(obj: object, msg: string): void;
  /** For "allowed again" (warn when the logger has no info level). */
  info?(obj: object, msg: string): void;
}

/** What each command is for: what its refusal costs and the ACL rule that grants it. */
export const OPTIONAL_COMMANDS: Readonly<Record<OptionalCommand, { name: string; loses: string; grant: string }>> = {
  'CONFIG GET': {
    name: 'CONFIG GET',
    loses:
      `${metrics.redisConfigIoThreads.name} is not reported; ${metrics.redisConfigMaxmemory.name} and ` +
      `${metrics.redisConfigMaxclients.name} are read from INFO instead; ${metrics.redisDbKeys.name} ` +
      `zeros assume ${DEFAULT_DATABASES} databases`,
    grant: '+config|get',
  },
  SLOWLOG: {
    name: 'SLOWLOG LEN and SLOWLOG GET',
    loses: `${metrics.redisSlowlogLength.name}, ${metrics.redisSlowlogLastId.name} and ${metrics.redisLastSlowExecutionDurationSeconds.name} are not reported`,
    grant: '+slowlog|len +slowlog|get',
  },
  'LATENCY LATEST': {
    name: 'LATENCY LATEST',
    loses: `${metrics.redisLatencySpikeLast.name} and ${metrics.redisLatencySpikeDurationSeconds.name} are not reported`,
    grant: '+latency|latest',
  },
  scripts: {
    name: "the exporter's read-only scripts (SCRIPT LOAD, EVALSHA)",
    loses:
      'queues are read with plain commands instead of the read-only scripts: every list oldest item and ' +
      'zset lowest member is now transferred whole on each scrape (a 16 MB item costs 16 MB), and ' +
      'stream backlogs transfer the entries they count',
    // Redis checks a script's keys as written: read-only key access (%R~) refuses it.
    grant: '+@scripting (at least +script|load +evalsha) and read-write key access (~<pattern>, not %R~<pattern>)',
  },
};

/** A renamed or disabled command: no ACL rule brings it back. */
function isRenamed(message: string): boolean {
  return /^ERR unknown (command|subcommand)/i.test(message);
}

/** Logs each optional command's refusals and recoveries once (per exporter target). */
export class PermissionWarnings {
  /** The (redacted) error last logged per command; absent while the command is allowed. */
  private readonly logged = new Map<OptionalCommand, string>();

  constructor(
    private readonly logger: PermissionLogger | undefined,
    private readonly secrets: readonly string[],
  ) {}

  /** This collection's outcome for `command`: Redis's error message, or undefined when it ran. */
  report(command: OptionalCommand, error: string | undefined): void {
    const before = this.logged.get(command);
    if (error === undefined) {
      if (before === undefined) return;
      this.logged.delete(command);
      const log = this.logger?.info ? this.logger.info.bind(this.logger) : this.logger?.warn.bind(this.logger);
      log?.({ command }, `Redis allows ${OPTIONAL_COMMANDS[command].name} again; what it gives is back`);
      return;
    }
    const err = redactSecrets(error, this.secrets);
    if (before === err) return;
    this.logged.set(command, err);
    const { name, loses, grant } = OPTIONAL_COMMANDS[command];
    const fix = isRenamed(err)
      ? `the command is renamed or disabled on this Redis (rename-command); the ACL rule is ${grant}`
      : `grant it to the exporter's user with ACL SETUSER <user> ${grant}`;
    this.logger?.warn(
      { command, err, grant },
      `Redis refused ${name}; the collection goes on, but ${loses}. To fix: ${fix} (logged once until this changes)`,
    );
  }
}
