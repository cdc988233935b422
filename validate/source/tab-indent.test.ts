// Tabs in a block scalar's indentation: refused exactly where promtool (libyaml) refuses them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { promtoolCheckRules } from '../../test/support/index.js';
import { validateFiles } from '../engine.js';

const rule = (exprBlock: string) =>
  `groups:\n  - name: g\n    rules:\n      - alert: TabbedExpr\n        expr: ${exprBlock}\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n`;

const cases: [string, string][] = [
  ['a tab before the first line', rule('|\n          \tup == 0')],
  ['a tab as the whole indentation', rule('|\n\tup == 0')],
  ['a tab inside the indentation of a later line', rule('|\n          up\n        \t== 0')],
  ['a tab after the indentation (content)', rule('|\n          up\n          \t== 0')],
  ['a tab inside the expression', rule('|\n          up\t== 0')],
  ['a tab in a quoted value', rule('"up\\t== 0"')],
  ['a folded scalar with a tab in its indentation', rule('>-\n          \tup == 0')],
  ['an explicit indentation indicator', rule('|2\n          \tup == 0')],
];

const dir = mkdtempSync(join(tmpdir(), 'vm-tabs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tabs in block scalar indentation', () => {
  it('gives promtool’s verdict on every case', async () => {
    const files = cases.map(([, text], i) => {
      const f = join(dir, `c${i}.yml`);
      writeFileSync(f, text);
      return f;
    });
    const promtool = await promtoolCheckRules(files);
    const wrong: string[] = [];
    for (const [i, [name, text]] of cases.entries()) {
      const ours = (await validateFiles([{ file: files[i]!, text }])).findings.some((f) => f.severity === 'error');
      const theirs = !promtool.get(files[i]!)?.ok;
      if (ours !== theirs)
        wrong.push(`${name}: promtool ${theirs ? 'refuses' : 'loads'}, ours ${ours ? 'refuses' : 'loads'}`);
    }
    expect(wrong).toEqual([]);
    // The first case must be refused at all: the table is not vacuous.
    expect(promtool.get(files[0]!)?.ok).toBe(false);
  });
});
