/**
 * One INFO ALL reply, split once: plain `field:value` lines in a map, and the sections whose field
 * names carry data (a command, an error prefix, a db, a replica) as lists.
 */

export interface ParsedInfo {
  /** Plain fields of every section but the lists below. */
  readonly fields: Map<string, string>;
  /** `cmdstat_get:calls=…` as ['get', 'calls=…'] (INFO commandstats). */
  readonly commandstats: Array<[cmd: string, value: string]>;
  /** `latency_percentiles_usec_get:p50=…` as ['get', 'p50=…'] (INFO latencystats). */
  readonly latencystats: Array<[cmd: string, value: string]>;
  /** `errorstat_ERR:count=4` as ['ERR', 'count=4'] (INFO errorstats). */
  readonly errorstats: Array<[err: string, value: string]>;
  /** `db0:keys=1,…` as ['db0', 'keys=1,…'] (INFO keyspace). */
  readonly keyspace: Array<[db: string, value: string]>;
  /** `slave0:ip=…,port=…` as ['slave0', 'ip=…'] (INFO replication on a primary). */
  readonly slaves: Array<[name: string, value: string]>;
}

const SLAVE = /^slave\d+$/;

function after(key: string, prefix: string): string {
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

export function parseInfo(text: string): ParsedInfo {
  const out: ParsedInfo = {
    fields: new Map(),
    commandstats: [],
    latencystats: [],
    errorstats: [],
    keyspace: [],
    slaves: [],
  };
  // RESP3 sends INFO as a verbatim string; some clients keep its "txt:" format prefix.
  const body = text.startsWith('txt:') ? text.slice(4) : text;
  let section = '';
  let from = 0;
  while (from < body.length) {
    let to = body.indexOf('\n', from);
    if (to < 0) to = body.length;
    const line = body.slice(from, body.charCodeAt(to - 1) === 13 ? to - 1 : to);
    from = to + 1;
    if (line.startsWith('# ')) {
      section = line.slice(2).trim();
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i);
    const value = line.slice(i + 1).trim();
    switch (section) {
      case 'Commandstats':
        out.commandstats.push([after(key, 'cmdstat_'), value]);
        break;
      case 'Latencystats':
        out.latencystats.push([after(key, 'latency_percentiles_usec_'), value]);
        break;
      case 'Errorstats':
        out.errorstats.push([after(key, 'errorstat_'), value]);
        break;
      case 'Keyspace':
        out.keyspace.push([key, value]);
        break;
      default:
        if (section === 'Replication' && SLAVE.test(key)) out.slaves.push([key, value]);
        else out.fields.set(key, value);
    }
  }
  return out;
}

/** `a=1,b=x` as a lookup (commandstats, keyspace and replica lines). */
export function keyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i), part.slice(i + 1));
  }
  return out;
}
