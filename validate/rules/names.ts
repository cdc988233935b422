/**
 * Label, annotation and metric names as Prometheus validates them in rule files. Prometheus 3
 * validates names under the UTF-8 scheme by default (any non-empty UTF-8 string; its own rule
 * format tests call `ins-tance` good), 2.x under the legacy one ([a-zA-Z_][a-zA-Z0-9_]*). We
 * follow upstream and only refuse what every version refuses; a name valid only under UTF-8
 * is a warning (lint/utf8-name), since Prometheus 2 and legacy-mode servers refuse the file.
 */
import { LABEL_NAME, METRIC_NAME } from '../context.js';

export type NameVerdict = 'ok' | 'utf8-only' | 'invalid';

/** A label or annotation name (`__name__` is checked by the caller: only labels forbid it). */
export function labelNameVerdict(name: string): NameVerdict {
  if (LABEL_NAME.test(name)) return 'ok';
  return name.length > 0 ? 'utf8-only' : 'invalid';
}

/** A recording rule's name. Braces are refused by every version: a selector pasted into `record`. */
export function metricNameVerdict(name: string): NameVerdict {
  if (METRIC_NAME.test(name)) return 'ok';
  if (!name || name.includes('{') || name.includes('}')) return 'invalid';
  return 'utf8-only';
}
