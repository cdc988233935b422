import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/mixin-config.js';
import {
  CONFIG_DURATION_PATTERN,
  CONFIG_SCHEMA_PATH,
  DASHBOARD_SCHEMA_PATH,
  generateConfigSchema,
  generateDashboardSchema,
} from './gen-schemas.js';
import { repoRoot } from './repo-root.js';

type Node = Record<string, unknown>;

/** Every object schema in a schema tree, with where it is. */
function* objects(node: unknown, at = '#'): Generator<[string, Node]> {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) yield* objects(n, `${at}/${i}`);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Node;
  if (o.type === 'object') yield [at, o];
  for (const [k, v] of Object.entries(o)) yield* objects(v, `${at}/${k}`);
}

// One generation (a TypeScript program, seconds) for all the config schema's tests.
let generatedConfigSchema: string | undefined;
const configSchemaNow = (): string => (generatedConfigSchema ??= generateConfigSchema());

describe('gen:schemas', () => {
  it('the committed config schema is what the generator produces from the MixinConfig type now', () => {
    const committed = readFileSync(join(repoRoot(), CONFIG_SCHEMA_PATH), 'utf8');
    const fresh = configSchemaNow();
    expect(fresh === committed, 'config/config.schema.json is stale: run `npm run gen:schemas`').toBe(true);
  });

  it('the config schema describes a FILE: all optional but queue name/key and matcher op/value, closed, typed', () => {
    const schema = JSON.parse(configSchemaNow());
    const defs = schema.definitions;
    expect(schema.$ref).toBe('#/definitions/MixinConfig');
    // Objects merged onto the defaults require nothing; what a file replaces whole keeps its required fields.
    const required = Object.fromEntries(
      [...objects(schema)].flatMap(([at, o]) => (o.required ? [[at, o.required]] : [])),
    );
    expect(required).toEqual({
      '#/definitions/LabelMatcher': ['op', 'value'],
      '#/definitions/QueueConfig': ['name', 'key'],
      '#/definitions/ReceiverSecrets/properties/webhook/anyOf/0': ['url'],
      '#/definitions/ReceiverSecrets/properties/webhook/anyOf/1': ['urlFile'],
      '#/definitions/ReceiverSecrets/properties/slack': ['apiUrlFile', 'channel'],
      '#/definitions/ReceiverSecrets/properties/email': ['to', 'from', 'smarthost'],
      '#/definitions/NotificationPolicy': ['alerts'],
    });
    // Closed: a misspelt key is an error. Only name → value maps (selectors' labels, per-alert
    // `for`s, k8s labels) take keys the type does not list.
    for (const [at, o] of objects(schema)) {
      if (o.properties) expect(o.additionalProperties, at).toBe(false);
      else expect(o.additionalProperties, at).toMatchObject({});
    }
    expect(defs.Duration.pattern).toBe(CONFIG_DURATION_PATTERN);
    expect(defs.MixinConfig.properties.$schema).toMatchObject({ type: 'string' });
    expect(defs.Matcher.anyOf).toEqual([{ type: 'string' }, { $ref: '#/definitions/LabelMatcher' }]);
    expect(defs.QueueConfig.properties.critical.description).toMatch(/critical alert fires/);
    // Every top-level setting of the type, and nothing else.
    expect(Object.keys(defs.MixinConfig.properties).sort()).toEqual(['$schema', ...Object.keys(defaultConfig)].sort());
  });

  it('accepts the defaults written out in full and rejects a typo and a two-unit duration', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(configSchemaNow()));
    expect(validate(JSON.parse(JSON.stringify(defaultConfig))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({})).toBe(true);
    expect(validate({ queues: [{ name: 'votes' }] })).toBe(false);
    expect(validate({ slo: { periodd: '30d' } })).toBe(false);
    expect(validate({ alerts: { defaultFor: '1h30m' } })).toBe(false);
  });

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
