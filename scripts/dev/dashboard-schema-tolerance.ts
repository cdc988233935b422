/**
 * @grafana/schema describes the dashboard Grafana *writes* today, not what it *loads*: its
 * frontend migrates old JSON (schemaVersion), fills in defaults (fieldConfig.overrides, gridPos x
 * and y, a threshold step's value) and treats a null scalar as unset. A dashboard validator that
 * demanded the written form would reject dashboards Grafana loads every day. This pass widens the
 * generated schema to what Grafana accepts, so `dashboard/schema` (an error) fires only where the
 * dashboard cannot work: wrong structural types (panels not a list, gridPos not an object), a
 * panel without a type (unless it is a library panel reference), a variable without a name or type.
 */

type Schema = Record<string, unknown>;

/**
 * The only `required` properties kept, per definition: what Grafana has no default for and
 * cannot do without. Everything else it fills in (or migrates) on load.
 */
const KEEP_REQUIRED: Record<string, readonly string[]> = {
  Panel: ['type'],
  RowPanel: ['type'],
  VariableModel: ['name', 'type'],
  MatcherConfig: ['id'],
  DataTransformerConfig: ['id'],
  ValueMap: ['type'],
  RangeMap: ['type'],
  RegexMap: ['type'],
  SpecialValueMap: ['type'],
};

const SCALARS = new Set(['string', 'number', 'boolean']);
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `x` or null: Grafana's own exports carry `"interval": null`, `"gnetId": null`, `"timeFrom": null`. */
function nullable(prop: Schema, defs: Schema): Schema {
  const { description, ...rest } = prop;
  const withDesc = (s: Schema): Schema => (description === undefined ? s : { ...s, description });
  if (typeof rest.type === 'string' && SCALARS.has(rest.type)) {
    const out: Schema = { ...rest, type: [rest.type, 'null'] };
    if (Array.isArray(rest.enum)) out.enum = [...rest.enum, null];
    if ('const' in rest) {
      delete out.const;
      out.enum = [rest.const, null];
    }
    return withDesc(out);
  }
  if (Array.isArray(rest.anyOf)) {
    const hasNull = rest.anyOf.some((a) => isSchema(a) && a.type === 'null');
    return hasNull ? prop : withDesc({ ...rest, anyOf: [...rest.anyOf, { type: 'null' }] });
  }
  if (typeof rest.$ref === 'string') {
    const target = defs[rest.$ref.replace('#/definitions/', '')];
    if (
      isSchema(target) &&
      (Array.isArray(target.enum) || (typeof target.type === 'string' && SCALARS.has(target.type)))
    )
      return withDesc({ anyOf: [{ $ref: rest.$ref }, { type: 'null' }] });
  }
  return prop;
}

/** Drops `required` Grafana defaults and lets optional scalars be null, in one object schema and those nested in it. */
function relax(node: unknown, keep: readonly string[], defs: Schema): void {
  if (Array.isArray(node)) {
    for (const n of node) relax(n, [], defs);
    return;
  }
  if (!isSchema(node)) return;
  if (Array.isArray(node.required)) {
    const kept = node.required.filter((r: unknown) => keep.includes(r as string));
    if (kept.length) node.required = kept;
    else delete node.required;
  }
  const props = node.properties;
  if (isSchema(props)) {
    for (const [k, v] of Object.entries(props)) {
      if (!isSchema(v)) continue;
      relax(v, [], defs);
      if (!keep.includes(k)) props[k] = nullable(v, defs);
    }
  }
  for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf']) relax(node[key], [], defs);
}

/** A panel list item is a row when its type says so, otherwise a panel: one branch's errors, not both. */
const PANEL_OR_ROW: Schema = {
  if: { type: 'object', properties: { type: { const: 'row' } }, required: ['type'] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else, never awaited
  then: { $ref: '#/definitions/RowPanel' },
  else: { $ref: '#/definitions/Panel' },
};

function isPanelOrRow(v: unknown): boolean {
  if (!isSchema(v) || !Array.isArray(v.anyOf) || v.anyOf.length !== 2) return false;
  const refs = v.anyOf.map((a) => (isSchema(a) ? a.$ref : undefined)).sort();
  return refs[0] === '#/definitions/Panel' && refs[1] === '#/definitions/RowPanel';
}

function discriminatePanels(node: unknown): void {
  if (Array.isArray(node)) node.forEach(discriminatePanels);
  if (!isSchema(node)) return;
  if (isPanelOrRow(node.items)) node.items = PANEL_OR_ROW;
  for (const v of Object.values(node)) discriminatePanels(v);
}

/**
 * A datasource reference Grafana loads: `{type, uid}`, a legacy name or `$variable` string, or
 * null (the dashboard's default datasource).
 */
const DATASOURCE_REF: Schema = {
  type: ['object', 'string', 'null'],
  properties: {
    type: { type: ['string', 'null'], description: 'The plugin type-id' },
    uid: { type: ['string', 'null'], description: 'Specific datasource instance' },
  },
  description: 'Ref to a DataSource instance, a legacy datasource name or variable, or null for the default',
};

/**
 * Older forms Grafana still migrates on load (DashboardMigrator): `refresh: false` on the
 * dashboard (auto-refresh off) and boolean `refresh` on template variables (schemaVersion < 12).
 */
const LEGACY: ReadonlyArray<readonly [definition: string, property: string, type: string]> = [
  ['Dashboard', 'refresh', 'boolean'],
  ['VariableModel', 'refresh', 'boolean'],
];

function allowLegacy(defs: Schema): void {
  for (const [def, prop, type] of LEGACY) {
    const d = defs[def];
    const props = isSchema(d) && isSchema(d.properties) ? d.properties : undefined;
    const p = props?.[prop];
    if (!props || !isSchema(p)) continue;
    if (Array.isArray(p.type)) props[prop] = { ...p, type: [...p.type, type] };
    else if (Array.isArray(p.anyOf)) props[prop] = { ...p, anyOf: [...p.anyOf, { type }] };
  }
}

/**
 * A library panel reference (`{gridPos, id, libraryPanel: {uid, name}}`, what Grafana 8+ saves and
 * exports, the model in `__elements`) has no `type`: Grafana loads the panel from the library.
 * Any other panel still needs one.
 */
function allowLibraryPanelRefs(defs: Schema): void {
  const panel = defs.Panel;
  if (!isSchema(panel) || !Array.isArray(panel.required)) return;
  const rest = panel.required.filter((r: unknown) => r !== 'type');
  if (rest.length) panel.required = rest;
  else delete panel.required;
  panel.if = { required: ['libraryPanel'] };
  panel.else = { required: ['type'] };
}

/** The generated schema, widened in place to what Grafana loads. */
export function tolerateGrafanaExports<T extends Schema>(schema: T): T {
  const defs = schema.definitions;
  if (!isSchema(defs)) return schema;
  for (const [name, def] of Object.entries(defs)) relax(def, KEEP_REQUIRED[name] ?? [], defs);
  defs.DataSourceRef = DATASOURCE_REF;
  allowLegacy(defs);
  allowLibraryPanelRefs(defs);
  discriminatePanels(defs);
  return schema;
}
