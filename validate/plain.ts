/**
 * Checks that run on plain parsed values (objects, arrays, strings, numbers) rather than on
 * `yaml` nodes: the fast path parses with js-yaml (no positions) and positions only the files
 * that have findings. These helpers mirror the node helpers in context.ts.
 */
export type Plain = unknown;
export type PlainMap = Record<string, unknown>;
export type Path = ReadonlyArray<string | number>;

export const isPlainMap = (v: unknown): v is PlainMap => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isPlainSeq = (v: unknown): v is unknown[] => Array.isArray(v);
export const isPlainNull = (v: unknown): v is null | undefined => v === null || v === undefined;
/** A scalar: anything that is neither a mapping, a list nor null. */
export const isPlainScalar = (v: unknown): boolean => v !== null && v !== undefined && typeof v !== 'object';

const has = Object.prototype.hasOwnProperty;

/** The value at `key`: undefined when the key is absent, null when it has no value. */
export function field(map: PlainMap | undefined, key: string): unknown {
  if (!map || !has.call(map, key)) return undefined;
  const v = map[key];
  return v === undefined ? null : v;
}

/** A scalar's value as a string (numbers and booleans as their JS text), else undefined. */
export function plainString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function plainKindOf(v: unknown): string {
  if (isPlainMap(v)) return 'a mapping';
  if (isPlainSeq(v)) return 'a list';
  if (v === undefined) return 'nothing';
  return v === null ? 'null' : `${typeof v} ${JSON.stringify(v)}`;
}
