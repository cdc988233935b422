/** Metric names and types from a Prometheus text exposition (`/metrics`) or a plain list. */
export interface MetricList {
  names: Set<string>;
  kinds: Map<string, 'counter' | 'other'>;
}

export function parseExposition(text: string): MetricList {
  const names = new Set<string>();
  const kinds = new Map<string, 'counter' | 'other'>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const m = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (m?.[1]) {
        const [, name, type] = m;
        names.add(name);
        if (type === 'counter') kinds.set(name, 'counter');
        else if (type === 'histogram' || type === 'summary') {
          // Declared is enough: a service that has served nothing yet exposes a histogram's TYPE
          // line without samples, and its series exist from the first observation on.
          for (const s of type === 'histogram' ? ['_bucket', '_count', '_sum'] : ['_count', '_sum']) {
            kinds.set(name + s, 'counter');
            names.add(name + s);
          }
          kinds.set(name, 'other');
        } else kinds.set(name, 'other');
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line) ?? /^\{"([^"]+)"/.exec(line);
    if (m?.[1]) names.add(m[1]);
  }
  return { names, kinds };
}

/** `/api/v1/label/__name__/values` answer → names. */
export function parseLabelValues(body: string): MetricList {
  const json = JSON.parse(body) as { status?: string; data?: unknown };
  if (json.status !== 'success' || !Array.isArray(json.data)) throw new Error('not a Prometheus label values response');
  return { names: new Set(json.data.map(String)), kinds: new Map() };
}
