/**
 * One table out of every benchmark's section: each section's first markdown table is read, and
 * its rows become rows of the summary with the benchmark's title in front. Columns are matched by
 * header (ours / peer / ratio / target); cells of other columns are kept in the measure column.
 */
export interface BenchRun {
  script: string;
  code: number;
  seconds: number;
  section: string;
  stderrTail: string;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

interface Table {
  header: string[];
  rows: string[][];
}

/** The first markdown table in a text. */
export function firstTable(md: string): Table | undefined {
  const lines = md.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (/^\s*\|.*\|\s*$/.test(lines[i]!) && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1]!)) {
      const header = cells(lines[i]!);
      const rows: string[][] = [];
      for (let j = i + 2; j < lines.length && /^\s*\|/.test(lines[j]!); j++) rows.push(cells(lines[j]!));
      return { header, rows };
    }
  }
  return undefined;
}

const COLUMNS = {
  ratio: /ratio/i,
  ours: /\b(ours?|voting-mixin|we)\b/i,
  peer: /\b(peer|theirs|baseline|promtool|redis_exporter|reference)\b/i,
  target: /target|goal/i,
} as const;

export function summaryTable(runs: readonly BenchRun[]): string {
  const out = ['| benchmark | measure | ours | peer | ratio | target |', '|---|---|---|---|---|---|'];
  for (const r of runs) {
    const title = /^###\s+(.*)$/m.exec(r.section)?.[1]?.trim() ?? r.script;
    if (r.code !== 0) {
      out.push(`| ${r.script} | **failed (exit ${r.code})** | | | | |`);
      continue;
    }
    const t = firstTable(r.section);
    if (!t) {
      out.push(`| ${title} | (no table in its output) | | | | |`);
      continue;
    }
    // Each column goes to one key only ("ratio to target" is the ratio, not the target).
    const used = new Set<number>();
    const idx = {} as Record<keyof typeof COLUMNS, number>;
    for (const [k, re] of Object.entries(COLUMNS) as Array<[keyof typeof COLUMNS, RegExp]>) {
      idx[k] = t.header.findIndex((h, i) => i > 0 && !used.has(i) && re.test(h));
      if (idx[k] >= 0) used.add(idx[k]);
    }
    for (const row of t.rows) {
      const extra = row.flatMap((cell, i) =>
        i > 0 && !used.has(i) && cell ? [t.header[i] ? `${t.header[i]}: ${cell}` : cell] : [],
      );
      const measure = [row[0] ?? '', ...extra].join('; ');
      const get = (k: keyof typeof COLUMNS) => (idx[k] >= 0 ? (row[idx[k]] ?? '') : '');
      out.push(`| ${title} | ${measure} | ${get('ours')} | ${get('peer')} | ${get('ratio')} | ${get('target')} |`);
    }
  }
  return out.join('\n');
}
