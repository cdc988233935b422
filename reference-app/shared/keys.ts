/**
 * Redis key names derived from the queue key. Processing lists match the mixin config's
 * `processingPattern` (`<key>:processing:*`); heartbeats and the dead-letter list deliberately
 * do not, so the queue exporter does not count them as processing lists.
 */
export const processingKey = (queue: string, workerId: string): string => `${queue}:processing:${workerId}`;
export const processingPattern = (queue: string): string => `${queue}:processing:*`;
export const heartbeatKey = (queue: string, workerId: string): string => `${queue}:heartbeat:${workerId}`;
export const deadKey = (queue: string): string => `${queue}:dead`;

/** The worker id inside a processing key, or undefined if the key is not one of ours. */
export function workerIdOf(queue: string, key: string): string | undefined {
  const prefix = `${queue}:processing:`;
  return key.startsWith(prefix) && key.length > prefix.length ? key.slice(prefix.length) : undefined;
}
