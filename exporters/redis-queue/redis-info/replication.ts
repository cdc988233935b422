/**
 * INFO replication's labelled families, as redis_exporter 1.45 writes them: on a primary, offset
 * and lag per connected replica (`slaveN` lines); on a replica, its link to the primary
 * (master_link_status, master_last_io_seconds_ago, master_sync_in_progress, slave_repl_offset,
 * labelled by master_host and master_port) and redis_slave_info.
 */
import type { Registry } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { Family } from './family.js';
import { keyValues, type ParsedInfo } from './parse.js';

export class Replication {
  private readonly slaveOffset: Family<'slave_ip' | 'slave_port' | 'slave_state'>;
  private readonly slaveLag: Family<'slave_ip' | 'slave_port' | 'slave_state'>;
  private readonly linkUp: Family<'master_host' | 'master_port'>;
  private readonly lastIo: Family<'master_host' | 'master_port'>;
  private readonly syncing: Family<'master_host' | 'master_port'>;
  private readonly replOffset: Family<'master_host' | 'master_port'>;
  private readonly slaveInfo: Family<'master_host' | 'master_port' | 'read_only'>;

  constructor(registry: Registry, collect: () => Promise<void>) {
    this.slaveOffset = new Family(metrics.redisConnectedSlaveOffsetBytes, registry, collect);
    this.slaveLag = new Family(metrics.redisConnectedSlaveLagSeconds, registry, collect);
    this.linkUp = new Family(metrics.redisMasterLinkUp, registry, collect);
    this.lastIo = new Family(metrics.redisMasterLastIoSecondsAgo, registry, collect);
    this.syncing = new Family(metrics.redisMasterSyncInProgress, registry, collect);
    this.replOffset = new Family(metrics.redisSlaveReplOffset, registry, collect);
    this.slaveInfo = new Family(metrics.redisSlaveInfo, registry, collect);
  }

  get families(): readonly Family[] {
    return [this.slaveOffset, this.slaveLag, this.linkUp, this.lastIo, this.syncing, this.replOffset, this.slaveInfo];
  }

  apply(info: ParsedInfo): void {
    for (const [, text] of info.slaves) {
      const kv = keyValues(text);
      const offset = Number(kv.get('offset'));
      if (!kv.has('offset') || !Number.isFinite(offset)) continue;
      const labels = {
        slave_ip: kv.get('ip') ?? '',
        slave_port: kv.get('port') ?? '',
        slave_state: kv.get('state') ?? '',
      };
      this.slaveOffset.add(offset, labels);
      // no lag before Redis 3.0
      const lag = Number(kv.get('lag'));
      if (kv.has('lag') && Number.isFinite(lag)) this.slaveLag.add(lag, labels);
    }
    const { fields } = info;
    if (fields.get('role') === 'slave') {
      this.slaveInfo.add(1, {
        master_host: fields.get('master_host') ?? '',
        master_port: fields.get('master_port') ?? '',
        read_only: fields.get('slave_read_only') ?? '',
      });
    }
    const link = fields.get('master_link_status');
    if (link === undefined) return; // a primary
    const labels = { master_host: fields.get('master_host') ?? '', master_port: fields.get('master_port') ?? '' };
    this.linkUp.add(link === 'up' ? 1 : 0, labels);
    // integers in redis_exporter (strconv.Atoi: 0 when unparsable)
    const int = (f: string): number => Number.parseInt(fields.get(f) ?? '', 10) || 0;
    if (fields.has('master_last_io_seconds_ago')) this.lastIo.add(int('master_last_io_seconds_ago'), labels);
    if (fields.has('master_sync_in_progress')) this.syncing.add(int('master_sync_in_progress'), labels);
    if (fields.has('slave_repl_offset')) this.replOffset.add(int('slave_repl_offset'), labels);
  }
}
