/**
 * What a queue's configured type says about its series, so a panel or alert that can only be empty for it
 * is left out. `auto` may be any type (the exporter asks Redis with TYPE), so it keeps them all.
 * docs/EXPORTER.md "How queues are read" lists which types have an age.
 */
import type { QueueConfig } from './mixin-config.js';

/** Sets and hashes have no order, so no oldest item: the exporter reports their length only. */
export const hasOldestAge = (q: QueueConfig): boolean => q.type !== 'set' && q.type !== 'hash';

/** Only a stream has consumer groups (`redis_queue_stream_group_lag`/`_pending`). */
export const mayBeStream = (q: QueueConfig): boolean => q.type === 'stream' || q.type === 'auto';
