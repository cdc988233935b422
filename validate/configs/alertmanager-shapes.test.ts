// A list-typed field given a mapping (or a scalar-typed one given a list) is a field-type finding
// at that value — it used to throw inside the shape check and become an internal error.
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../engine.js';

const config = (routeExtra: string) =>
  `route:\n  receiver: team\n${routeExtra}receivers:\n  - name: team\n    webhook_configs:\n      - url: http://hooks.example/alerts\n`;

describe('Alertmanager values of the wrong shape', () => {
  it.each([
    ['a list field given a mapping', '  group_by: { alertname: true }\n', 3],
    ['a scalar field given a list', '  group_wait: [30s]\n', 3],
    ['a list of mappings given a scalar', '  routes: nope\n', 3],
  ])('%s', async (_, extra, line) => {
    const { findings } = await validateFiles([{ file: 'alertmanager.yml', text: config(extra) }]);
    expect(findings.filter((f) => f.id === 'internal/error')).toEqual([]);
    const f = findings.find((x) => x.id === 'alertmanager/field-type');
    expect(f?.position?.line, JSON.stringify(findings)).toBe(line);
  });
});
