/**
 * Positions from a few lines must be the positions the whole-file parse gives: every path of
 * every node of these files, placed both ways, and whole runs of the engine on files with
 * findings compared between the fast and the positioned path.
 */
import { constructFromEvents, parseEvents } from 'js-yaml';
import { describe, expect, it, vi } from 'vitest';
import { ruleFile } from '../../scripts/dev/bench/validate.js';
import { validateFiles } from '../engine.js';
import { FragmentLocator } from './fragment-positions.js';
import { type ItemSpans, quickLoad } from './quick-yaml.js';
import { locatePath, type PathSpot, parseSource } from './yaml-source.js';

const shapes = `groups:
  - name: first   # a comment
    interval: 1m
    rules:
      - alert: Literal
        expr: |
          sum by (job) (
            rate(x_total[5m])
          ) > 1
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: "quoted {{ $labels.job }}\\t"
          description: >
            folded text
            on two lines

      # a comment at the list's indentation
  # a comment further left
      - record: job:plain:sum
        expr: sum by (job) (up)
        labels: {team: a, tier: "1"}
      -
        record: dash:alone
        expr: 'single ''quoted'' up'
  - name: second
    rules:
    - alert: Unindented
      expr: up == 0
      annotations:
        summary: last one
# trailing comment
`;

/** Every path in a plain value (maps and lists), each with the spots findings use. */
function* paths(v: unknown, at: (string | number)[] = []): Generator<[(string | number)[], PathSpot]> {
  yield [at, {}];
  if (at.length && typeof at[at.length - 1] === 'string') yield [at, { key: true }];
  if (typeof v === 'string' && v.length > 2) yield [at, { offset: 2, length: 3 }];
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* paths(v[i], [...at, i]);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* paths(x, [...at, k]);
  // A missing key: the nearest ancestor.
  if (v && typeof v === 'object') yield [[...at, 'missing'], {}];
}

function compareAll(text: string, from: 'events' | 'quick' = 'events'): number {
  const events = parseEvents(text, {});
  const docs = constructFromEvents(events, { source: text });
  const { source } = parseSource('f.yml', text);
  const spans: ItemSpans = new WeakMap();
  const quick = from === 'quick' ? quickLoad(text, spans) : undefined;
  if (from === 'quick') {
    expect(quick).toEqual(docs);
    // Every rule group is a list item quick-yaml measured.
    for (const d of quick!) {
      const groups =
        (d as { groups?: object[]; spec?: { groups: object[] } }).groups ??
        (d as { spec: { groups: object[] } }).spec.groups;
      for (const g of groups) expect(spans.get(g)).toBeDefined();
    }
  }
  // From quick-yaml's spans alone: no events given, and any fallback would have to parse them.
  const pieces = quick
    ? new FragmentLocator(text, undefined, { docs: quick, spans })
    : new FragmentLocator(text, events);
  let fromPieces = 0;
  docs.forEach((doc, d) => {
    for (const [path, spot] of paths(doc)) {
      const got = pieces.locate(d, path, spot);
      if (!got) continue;
      fromPieces++;
      expect(got, `${d} ${JSON.stringify(path)} ${JSON.stringify(spot)}`).toEqual(locatePath(source, d, path, spot));
    }
  });
  return fromPieces;
}

describe('positions from a few lines', () => {
  it('equal the whole parse for every node of a file of many shapes', () => {
    expect(compareAll(shapes)).toBeGreaterThan(60);
  });

  it('equal the whole parse with CRLF line ends and in the last of several documents', () => {
    expect(compareAll(shapes.replace(/\n/g, '\r\n'))).toBeGreaterThan(60);
    const crd = `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: a}\nspec:\n${shapes.trimEnd().replace(/^/gm, '  ')}\n`;
    expect(compareAll(`${crd}---\n${crd}`)).toBeGreaterThan(60);
  });

  it('equal the whole parse on the benchmark’s generated file', () => {
    expect(compareAll(ruleFile(300))).toBeGreaterThan(1000);
  });

  it('equal the whole parse when the pieces are found from quick-yaml’s spans', () => {
    const quickShapes = shapes
      .replace('      -\n        record: dash:alone\n', '      - record: dash:alone\n')
      .replace('labels: {team: a, tier: "1"}', 'labels:\n          team: a\n          tier: "1"');
    expect(compareAll(quickShapes, 'quick')).toBeGreaterThan(60);
    expect(compareAll(quickShapes.replace(/\n/g, '\r\n'), 'quick')).toBeGreaterThan(60);
    // And the spans were what placed them: js-yaml's events were asked only about paths above
    // every rule group (`groups` itself), which no piece holds.
    const events = vi.spyOn(FragmentLocator.prototype as unknown as { fromEvents: () => unknown }, 'fromEvents');
    expect(compareAll(ruleFile(300), 'quick')).toBeGreaterThan(1000);
    const asked = events.mock.calls.map((c) => (c as unknown[])[1] as unknown[]);
    expect(asked.filter((p) => typeof p[1] === 'number')).toEqual([]);
    expect(asked.length).toBeLessThan(10);
    events.mockRestore();
  });

  it('make the fast path report what the positioned path reports', async () => {
    const broken = shapes
      .replace('severity: critical', 'severity: urgent')
      .replace('rate(x_total[5m])', 'rate(x_total[5m]')
      .replace('record: dash:alone', 'record: dash:alone\n        bogus: 1')
      .replace('summary: last one', 'summary: "{{ $labels.job "');
    for (const text of [broken, broken.replace(/\n/g, '\r\n')]) {
      const input = [{ file: 'f.yml', text }];
      const fast = await validateFiles(input);
      expect(fast.findings.length).toBeGreaterThan(3);
      expect(fast).toEqual(await validateFiles(input, { fastPath: false }));
    }
  });
});
