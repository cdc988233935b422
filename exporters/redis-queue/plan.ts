/**
 * How each configured queue is read, worked out once at start-up from the config: one key or a
 * SCAN pattern, a fixed type or TYPE at run time, and where its processing lists are.
 */
import type { QueueConfig } from 'voting-mixin/config';
import { globToRegExp, isPattern } from './glob.js';
import { labelOf } from './key-names.js';
import type { DataType } from './queue-types.js';

export interface QueuePlan {
  /** The `queue` label. */
  name: string;
  /** The key, or the SCAN pattern of the keys, holding the queue. */
  key: string;
  /** `key` is a SCAN pattern (an unescaped `*`, `?` or `[`), not one key. */
  pattern: boolean;
  /**
   * The `key` label of a plain key (`\` doubled, key-names.ts) and its job's key; a pattern's own
   * 0 series (no key matched) is labelled with the pattern as written.
   */
  label: string;
  /** The configured type; undefined for `auto` (TYPE decides, cached between scrapes). */
  fixedType: DataType | undefined;
  /** SCAN pattern of the reliable-queue processing lists; undefined when there are none. */
  processingPattern: string | undefined;
  /** Keys of the processing lists must not count as queue keys when the queue pattern matches them too. */
  processingMatcher: RegExp | undefined;
}

export function planQueue(cfg: QueueConfig): QueuePlan {
  const pattern = isPattern(cfg.key);
  return {
    name: cfg.name,
    key: cfg.key,
    pattern,
    label: pattern ? cfg.key : labelOf(cfg.key),
    fixedType: cfg.type === 'auto' ? undefined : cfg.type,
    processingPattern: cfg.processingPattern || undefined,
    processingMatcher: cfg.processingPattern && pattern ? globToRegExp(cfg.processingPattern) : undefined,
  };
}

/** One plan per queue, in config order (plans are referred to by index while collecting). */
export function planQueues(queues: readonly QueueConfig[]): QueuePlan[] {
  return queues.map(planQueue);
}
