import { describe, expect, it } from 'vitest';
import { firstTable, summaryTable } from './summary.js';

const section = `### Exporter scrape time

| keys | ours | peer (redis_exporter) | ratio to target | target |
|---|---|---|---|---|
| 1,000 | 12 ms | 25 ms | 0.48 | ≤ 1.0 |

Setup: same Redis.`;

describe('bench summary', () => {
  it('reads the first table and maps columns by header, one column per key', () => {
    expect(firstTable(section)?.rows).toEqual([['1,000', '12 ms', '25 ms', '0.48', '≤ 1.0']]);
    const t = summaryTable([{ script: 'bench:exporter', code: 0, seconds: 1, section, stderrTail: '' }]);
    expect(t.split('\n')[2]).toBe('| Exporter scrape time | 1,000 | 12 ms | 25 ms | 0.48 | ≤ 1.0 |');
  });
  it('shows a failed benchmark as failed, never as a figure', () => {
    const t = summaryTable([{ script: 'bench:app', code: 3, seconds: 1, section: '', stderrTail: 'boom' }]);
    expect(t).toContain('| bench:app | **failed (exit 3)** |');
  });
});
