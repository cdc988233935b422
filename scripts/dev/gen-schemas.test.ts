import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_SCHEMA_PATH, generateDashboardSchema } from './gen-schemas.js';
import { repoRoot } from './repo-root.js';

describe('gen:schemas', () => {
  it('the committed dashboard schema is what the generator produces from @grafana/schema now', () => {
    const committed = readFileSync(join(repoRoot(), DASHBOARD_SCHEMA_PATH), 'utf8');
    const fresh = generateDashboardSchema();
    expect(fresh === committed, 'validate/schemas/dashboard.schema.json is stale: run `npm run gen:schemas`').toBe(
      true,
    );
    const schema = JSON.parse(fresh);
    expect(schema.$ref).toBe('#/definitions/Dashboard');
    // A panel needs a type unless it is a library panel reference.
    expect(schema.definitions.Panel.if.required).toEqual(['libraryPanel']);
    expect(schema.definitions.Panel.else.required).toContain('type');
  });
});
