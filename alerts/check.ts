/**
 * Build-time checks on the generated rule files: every expression parses, and every metric it
 * selects is in the catalog or is a recording rule the mixin writes.
 */
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import { seriesIndex } from '../config/metrics.js';
import { allRecordings } from '../config/recordings.js';
import { type Finding, positionAt } from '../validate/finding.js';
import { parsePromQL } from '../validate/promql.js';

const known = (): Set<string> => new Set([...seriesIndex.keys(), ...allRecordings().map((r) => r.name)]);

function exprNodes(doc: ReturnType<typeof parseDocument>): Array<{ node: Node; path: Array<string | number> }> {
  const out: Array<{ node: Node; path: Array<string | number> }> = [];
  const groups = doc.get('groups');
  if (!isSeq(groups)) return out;
  groups.items.forEach((g, gi) => {
    const rules = isMap(g) ? g.get('rules') : undefined;
    if (!isSeq(rules)) return;
    rules.items.forEach((r, ri) => {
      const expr = isMap(r) ? r.get('expr', true) : undefined;
      if (isScalar(expr)) out.push({ node: expr, path: ['groups', gi, 'rules', ri, 'expr'] });
    });
  });
  return out;
}

export function checkRuleFiles(files: ReadonlyMap<string, string>): Finding[] {
  const names = known();
  const findings: Finding[] = [];
  for (const [file, text] of files) {
    if (!/^prometheus\/rules\/.*\.ya?ml$/.test(file)) continue;
    const doc = parseDocument(text);
    for (const { node, path } of exprNodes(doc)) {
      const expr = String((node as { value: unknown }).value);
      const at = positionAt(text, node.range?.[0] ?? 0);
      const base = { file, position: at, path, sourceLine: text.split('\n')[at.line - 1] };
      const parsed = parsePromQL(expr);
      for (const e of parsed.errors)
        findings.push({
          ...base,
          id: 'rules/promql-syntax',
          severity: 'error',
          message: `PromQL syntax error: ${e.message}`,
          offset: e.from,
        });
      for (const s of parsed.selectors) {
        if (s.name && !names.has(s.name)) {
          findings.push({
            ...base,
            id: 'rules/unknown-metric',
            severity: 'error',
            message: `"${s.name}" is neither in the metric catalog (config/metrics.ts) nor a recording rule (config/recordings.ts)`,
            offset: s.from,
          });
        }
      }
    }
  }
  return findings;
}
