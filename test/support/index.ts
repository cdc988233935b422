/**
 * Test support on REAL components, shared by every test and benchmark and never published:
 * free ports, polling with deadlines, a private redis-server, a PostgreSQL database of its own,
 * a TCP proxy that can cut a connection, and promtool's verdict on an exposition.
 */
export { freePort, freePorts } from './ports.js';
export { createDatabase, existingDatabase, PG_ADMIN_URL, type TestDatabase } from './postgres.js';
export {
  type PrivateRedis,
  type PrivateRedisOptions,
  redisServerArgs,
  startPrivateRedis,
  waitForRedis,
} from './private-redis.js';
export { isAlive, ManagedProcess, type ProcessSpec } from './process.js';
export { startPrivatePrometheus } from './prometheus.js';
export { promtoolCheckMetrics } from './promtool.js';
export { deleteKeys, SHARED_REDIS_URL, uniqueId } from './redis-keys.js';
export { amtoolCheckConfig, mapLimit, promtoolCheckRules, type Verdict } from './reference-tools.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { sleep, waitFor, waitForHttp, waitForTcp } from './wait.js';
