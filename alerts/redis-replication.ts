/**
 * Redis replication alerts: a replica that lost its master (seen on the replica's own exporter)
 * and a replica that stopped acknowledging (seen on the master's). Neither stops voting, but a
 * failover to that replica would lose the votes it has not received.
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { sel } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { num, secs } from './humanize.js';
import { gauge, zeroFires } from './probe-series.js';
import { scopeLabels } from './scope-labels.js';

export function redisReplicationAlerts(cfg: MixinConfig): AlertSpec[] {
  const s = cfg.selectors.exporter;
  const target = { ...scopeLabels(s, 'selectors.exporter'), instance: 'exporter-1' };
  const lag = cfg.thresholds.redis.replicaLagWarningSeconds;
  const master = { master_host: '10.0.0.1', master_port: '6379' };
  const replica = { slave_ip: '10.0.0.2', slave_port: '6379', slave_state: 'online' };
  return [
    {
      alert: 'RedisReplicationBroken',
      severity: 'warning',
      // The series exists only on a replica, so a master never matches.
      expr: `${sel(m.redisMasterLinkUp, {}, s)} == 0`,
      for: cfg.alerts.downFor,
      summary: 'Redis replica lost its master',
      description:
        'The Redis replica behind {{ $labels.instance }} has no link to its master {{ $labels.master_host }}:{{ $labels.master_port }}: it stops receiving votes, and a failover to it would lose them.',
      dashboard: { key: 'redis-queue', panel: 'Master link' },
      runbook: {
        meaning:
          'A replica is disconnected from its master (master down, network cut, or the master refused the sync). Voting goes on against the master, but the replica falls behind.',
        confirm: [sel(m.redisUp, {}, s), sel(m.redisConnectedSlaves, {}, s)],
        mitigate: [
          'Check that the master answers (`redis-cli -h <master_host> -p <master_port> ping`); if it is down, RedisDown on its exporter says so.',
          'Read the replica log for the sync error (authentication, "MASTER aborted replication", a full sync that times out: raise repl-timeout or client-output-buffer-limit replica).',
        ],
        followUp: ['Do not fail over to this replica until `INFO replication` shows master_link_status:up again.'],
      },
      probe: zeroFires({ ...target, ...master }, sel(m.redisMasterLinkUp, master, target)),
    },
    {
      alert: 'RedisReplicaLagHigh',
      severity: 'warning',
      expr: `${sel(m.redisConnectedSlaveLagSeconds, {}, s)} > ${num(lag)}`,
      for: cfg.alerts.defaultFor,
      summary: `Redis replica silent for more than ${secs(lag)}`,
      description:
        'The replica {{ $labels.slave_ip }}:{{ $labels.slave_port }} of Redis behind {{ $labels.instance }} last acknowledged {{ $value | humanizeDuration }} ago: it is not keeping up, and a failover to it would lose the votes since.',
      dashboard: { key: 'redis-queue', panel: 'Replica lag' },
      runbook: {
        meaning: `A connected replica has not acknowledged the replication stream for more than ${secs(lag)} (a healthy one acknowledges every second). It is overloaded, stuck in a sync, or the network between them is slow.`,
        confirm: [sel(m.redisConnectedSlaves, {}, s), sel(m.redisNetOutputBytesTotal, {}, s)],
        mitigate: [
          'Check the replica host (CPU, disk, swap) and the network between master and replica.',
          'If the replica keeps restarting full syncs, raise client-output-buffer-limit replica on the master.',
        ],
        followUp: [
          'Consider min-replicas-to-write / min-replicas-max-lag if votes must exist on a replica before they are accepted.',
        ],
      },
      probe: {
        op: '>',
        threshold: lag,
        labels: { ...target, ...replica },
        series: (v) => [gauge(sel(m.redisConnectedSlaveLagSeconds, replica, target), v)],
      },
    },
  ];
}
