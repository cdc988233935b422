/**
 * The one shape every check reports. Reporters (human, json, github, junit) and the build print
 * these; nothing else in validate/ prints.
 */
export type Severity = 'error' | 'warning' | 'info';

/** 1-based line and column, as editors and GitHub annotations count them. */
export interface Position {
  line: number;
  column: number;
}

export interface Finding {
  /** Stable check id, `area/name` (e.g. `promql/syntax`, `dashboard/rate-interval`): used by --disable. */
  id: string;
  severity: Severity;
  message: string;
  file?: string;
  position?: Position;
  endPosition?: Position;
  /** Where inside the artifact: `dashboard "Voting / Vote" › panel "Requests/s" (id 2) › target A`. */
  context?: string;
  /** The offending source line, for the caret display. */
  sourceLine?: string;
  /**
   * Where inside the parsed document (JSON-pointer segments, e.g. ['panels', 3, 'targets', 0, 'expr']),
   * for checks that work on objects; validate/ maps it to `position` when the source text is known.
   */
  path?: ReadonlyArray<string | number>;
  /** Offset inside the string value at `path` (e.g. a PromQL error's column inside `expr`). */
  offset?: number;
}

export const severityRank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** `file:line:col` or whatever part is known. */
export function formatLocation(f: Pick<Finding, 'file' | 'position'>): string {
  if (!f.file) return f.position ? `${f.position.line}:${f.position.column}` : '';
  return f.position ? `${f.file}:${f.position.line}:${f.position.column}` : f.file;
}

/** Line and column (1-based) of an offset in a text. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}
