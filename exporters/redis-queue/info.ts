/**
 * Redis health from the round-1 health replies (INFO ALL, CONFIG GET, SLOWLOG, LATENCY LATEST)
 * under the names, types and labels oliver006/redis_exporter 1.45 uses, so dashboards and alerts
 * written for it keep working. The parts, one concept each, are under redis-info/: the commands
 * and their replies (commands.ts), INFO parsing (parse.ts), plain fields (fields.ts), keyspace,
 * per-command stats, replication; the families themselves (family.ts).
 */
import type { Registry } from 'prom-client';
import { type CatalogMetric, type MetricType, metrics } from 'voting-mixin/config';
import { type PermissionLogger, PermissionWarnings } from './permissions.js';
import type { Reply } from './queue-types.js';
import { CommandStats } from './redis-info/command-stats.js';
import { type HealthReplies, readHealthReplies } from './redis-info/commands.js';
import { Family } from './redis-info/family.js';
import { INFO_FIELDS, infoNumber } from './redis-info/fields.js';
import { DEFAULT_DATABASES, Keyspace } from './redis-info/keyspace.js';
import { type ParsedInfo, parseInfo } from './redis-info/parse.js';
import { Replication } from './redis-info/replication.js';

export { HEALTH_COMMANDS } from './redis-info/commands.js';

const INSTANCE_LABELS = metrics.redisInstanceInfo.labels;

/** The health metrics of one Redis target. */
export class InfoMetrics {
  private readonly fields: Array<[field: string, divisor: number, family: Family]>;
  private readonly startTime: Family;
  private readonly instance: Family<(typeof INSTANCE_LABELS)[number]>;
  private readonly configMaxmemory: Family;
  private readonly configMaxclients: Family;
  private readonly configIoThreads: Family;
  private readonly slowlogLength: Family;
  private readonly slowlogLastId: Family;
  private readonly lastSlowSeconds: Family;
  private readonly spikeLast: Family<'event_name'>;
  private readonly spikeSeconds: Family<'event_name'>;
  private readonly keyspace: Keyspace;
  private readonly commands: CommandStats;
  private readonly replication: Replication;
  private readonly all: readonly Family[];
  private readonly permissions: PermissionWarnings;

  /**
   * `collect` runs at scrape time before the metrics are read (it joins the shared collection);
   * `log` takes the warnings about refused health commands (permissions.ts).
   */
  constructor(
    registry: Registry,
    collect: () => Promise<void>,
    log: { logger?: PermissionLogger | undefined; secrets: readonly string[] } = { secrets: [] },
  ) {
    this.permissions = new PermissionWarnings(log.logger, log.secrets);
    const f = <L extends string>(d: CatalogMetric<string, MetricType, L>): Family<L> =>
      new Family<L>(d, registry, collect);
    this.fields = INFO_FIELDS.map((x) => [x.field, x.divisor, f(x.metric)]);
    this.startTime = f(metrics.redisStartTimeSeconds);
    this.instance = f(metrics.redisInstanceInfo);
    this.configMaxmemory = f(metrics.redisConfigMaxmemory);
    this.configMaxclients = f(metrics.redisConfigMaxclients);
    this.configIoThreads = f(metrics.redisConfigIoThreads);
    this.slowlogLength = f(metrics.redisSlowlogLength);
    this.slowlogLastId = f(metrics.redisSlowlogLastId);
    this.lastSlowSeconds = f(metrics.redisLastSlowExecutionDurationSeconds);
    this.spikeLast = f(metrics.redisLatencySpikeLast);
    this.spikeSeconds = f(metrics.redisLatencySpikeDurationSeconds);
    this.keyspace = new Keyspace(registry, collect);
    this.commands = new CommandStats(registry, collect);
    this.replication = new Replication(registry, collect);
    this.all = [
      ...this.fields.map(([, , fam]) => fam),
      this.startTime,
      this.instance,
      this.configMaxmemory,
      this.configMaxclients,
      this.configIoThreads,
      this.slowlogLength,
      this.slowlogLastId,
      this.lastSlowSeconds,
      this.spikeLast,
      this.spikeSeconds,
      ...this.keyspace.families,
      ...this.commands.families,
      ...this.replication.families,
    ];
  }

  /**
   * Writes the health figures of the round-1 replies (INFO first); a field or command Redis does
   * not report or refuses leaves its family without series. @throws the INFO error
   */
  apply(replies: readonly Reply[]): void {
    const health = readHealthReplies(replies);
    const info = parseInfo(health.info);
    const { fields } = info;
    for (const [field, divisor, family] of this.fields) {
      const v = infoNumber(fields.get(field));
      if (v !== undefined) family.set(divisor === 1 ? v : v / divisor);
    }
    const uptime = infoNumber(fields.get('uptime_in_seconds'));
    if (uptime !== undefined) this.startTime.set(Math.floor(Date.now() / 1000) - uptime);
    this.applyInstance(info);
    this.applyConfig(health, info);
    this.applySlowlog(health);
    this.keyspace.apply(info, health.config.get('databases') ?? DEFAULT_DATABASES);
    this.commands.apply(info);
    this.replication.apply(info);
    for (const family of this.all) family.publish();
    for (const [command, error] of health.refused) this.permissions.report(command, error);
  }

  /** Redis unreachable: no stale health figures, only redis_up 0 (as redis_exporter does). */
  clear(): void {
    for (const family of this.all) family.clear();
  }

  private applyInstance({ fields }: ParsedInfo): void {
    const labels = {} as Record<(typeof INSTANCE_LABELS)[number], string>;
    for (const l of INSTANCE_LABELS) labels[l] = fields.get(l) ?? '';
    // Redis before 3.2 called the mode server_mode
    if (!labels.redis_mode) labels.redis_mode = fields.get('server_mode') ?? '';
    this.instance.add(1, labels);
  }

  /**
   * maxmemory, maxclients and io-threads from CONFIG GET, as redis_exporter reads them; where
   * CONFIG is refused (managed Redis), maxmemory and maxclients from INFO, which reports the same
   * settings, so the clients-saturation alert keeps its denominator.
   */
  private applyConfig({ config }: HealthReplies, { fields }: ParsedInfo): void {
    const maxmemory = config.get('maxmemory') ?? infoNumber(fields.get('maxmemory'));
    const maxclients = config.get('maxclients') ?? infoNumber(fields.get('maxclients'));
    const ioThreads = config.get('io-threads');
    if (maxmemory !== undefined) this.configMaxmemory.set(maxmemory);
    if (maxclients !== undefined) this.configMaxclients.set(maxclients);
    if (ioThreads !== undefined) this.configIoThreads.set(ioThreads);
  }

  /** SLOWLOG LEN, the newest entry (id and µs; 0 and 0 when empty) and LATENCY LATEST. */
  private applySlowlog({ slowlogLength, slowlogNewest, latencyLatest }: HealthReplies): void {
    if (slowlogLength !== undefined) this.slowlogLength.set(slowlogLength);
    if (slowlogNewest) {
      const id = Number(slowlogNewest[0] ?? 0);
      const usec = Number(slowlogNewest[2] ?? 0);
      this.slowlogLastId.set(Number.isFinite(id) ? id : 0);
      this.lastSlowSeconds.set(Number.isFinite(usec) ? usec / 1e6 : 0);
    }
    for (const event of latencyLatest ?? []) {
      if (!Array.isArray(event) || event.length < 3) continue;
      const [name, last, ms] = event as [unknown, unknown, unknown];
      const labels = { event_name: String(name) };
      if (!Number.isFinite(Number(last)) || !Number.isFinite(Number(ms))) continue;
      this.spikeLast.add(Number(last), labels);
      this.spikeSeconds.add(Number(ms) / 1e3, labels);
    }
  }
}
