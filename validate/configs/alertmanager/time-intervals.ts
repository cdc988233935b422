/**
 * Named time intervals (`time_intervals`, and the deprecated `mute_time_intervals`): a name
 * each, unique across both lists, and values the timeinterval package parses (HH:MM times with
 * start before end, weekday/month names or numbers, day-of-month and year ranges).
 */
import type { Node } from 'yaml';
import type { View } from './view.js';

const ID = 'alertmanager/time-interval';
const TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Returns the interval names defined (for the routes' references). */
export function checkTimeIntervals(v: View): Set<string> {
  const names = new Set<string>();
  for (const [key, what] of [
    ['mute_time_intervals', 'mute time interval'],
    ['time_intervals', 'time interval'],
  ] as const) {
    for (const t of v.items(v.get(v.root, key))) {
      const m = v.map(t);
      if (!m) continue;
      const nameNode = v.get(m, 'name');
      const name = v.str(nameNode);
      if (!name) v.report(ID, `missing name in ${what}`, nameNode ?? m);
      else if (names.has(name)) v.report(ID, `${what} ${JSON.stringify(name)} is not unique`, nameNode);
      else names.add(name);
      for (const spec of v.items(v.get(m, 'time_intervals'))) if (spec) checkSpec(v, spec);
    }
  }
  return names;
}

function checkSpec(v: View, spec: Node): void {
  for (const r of v.items(v.get(spec, 'times'))) {
    const s = v.str(v.get(r, 'start_time'));
    const e = v.str(v.get(r, 'end_time'));
    if (!s || !e) v.report(ID, 'both start_time and end_time must be provided', r);
    else if (!TIME.test(s) || !TIME.test(e))
      v.report(ID, `invalid time ${JSON.stringify(TIME.test(s) ? e : s)} (want HH:MM, 00:00 to 24:00)`, r);
    else if (s >= e) v.report(ID, 'start time cannot be equal or greater than end time', r);
  }
  ranges(v, v.get(spec, 'weekdays'), 'weekday', (x) => WEEKDAYS.indexOf(x.toLowerCase()));
  ranges(v, v.get(spec, 'months'), 'month', (x) => {
    const n = MONTHS.indexOf(x.toLowerCase());
    if (n >= 0) return n + 1;
    return /^\d+$/.test(x) && +x >= 1 && +x <= 12 ? +x : -1;
  });
  ranges(
    v,
    v.get(spec, 'days_of_month'),
    'day of month',
    (x) => (/^-?\d+$/.test(x) && +x !== 0 && Math.abs(+x) <= 31 ? +x : Number.NaN),
    true,
  );
  ranges(v, v.get(spec, 'years'), 'year', (x) => (/^\d+$/.test(x) ? +x : -1));
}

/** `a` or `a:b` items; `parse` gives NaN or -1 for an unknown value. Negative days count from the end. */
function ranges(
  v: View,
  list: Node | null | undefined,
  what: string,
  parse: (s: string) => number,
  signed = false,
): void {
  for (const item of v.items(list)) {
    const s = v.str(item);
    if (s === undefined) continue;
    const parts = s.split(':');
    const bad =
      parts.length > 2 ||
      parts.some((p) => {
        const n = parse(p.trim());
        return Number.isNaN(n) || (!signed && n < 0);
      });
    if (bad) {
      v.report(ID, `invalid ${what} ${JSON.stringify(s)}`, item);
      continue;
    }
    if (parts.length === 2) {
      const a = parse(parts[0]!.trim());
      const b = parse(parts[1]!.trim());
      if (Math.sign(a) === Math.sign(b) && a > b)
        v.report(ID, `${what} range ${JSON.stringify(s)} starts after it ends`, item);
    }
  }
}
