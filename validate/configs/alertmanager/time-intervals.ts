/**
 * Named time intervals (`time_intervals`, and the deprecated `mute_time_intervals`): a name
 * each, unique across both lists, and values the timeinterval package parses (HH:MM times with
 * start before end, weekday names, month names or numbers, day-of-month and year ranges, a time
 * zone): timeinterval.go's rules, no stricter.
 */
import type { Node } from 'yaml';
import { isNull } from '../../context.js';
import { timeZoneError } from './values.js';
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
  ranges(v, v.get(spec, 'weekdays'), 'weekday', weekday, (a, b) => {
    if (a > b) return 'start day cannot be before end day';
    return undefined;
  });
  ranges(v, v.get(spec, 'days_of_month'), 'day of month', atoi, (a, b) => {
    for (const d of [a, b])
      if (d === 0 || d < -31 || d > 31) return `${d} is not a valid day of the month: out of range`;
    if (a < 0 && b > 0) return 'end day must be negative if start day is negative';
    // Negative days count from the month's end: a range always empty in a 28-day month is refused.
    if ((a < 0 ? 28 + a : a) > (b < 0 ? 28 + b : b)) return `end day ${b} is always before start day ${a}`;
    return undefined;
  });
  ranges(v, v.get(spec, 'months'), 'month', month, (a, b) =>
    a > b ? `end month ${MONTHS[b - 1] ?? ''} is before start month ${MONTHS[a - 1] ?? ''}` : undefined,
  );
  ranges(v, v.get(spec, 'years'), 'year', atoi, (a, b) =>
    a > b ? `end year ${b} is before start year ${a}` : undefined,
  );
  const loc = v.get(spec, 'location');
  const zone = loc && !isNull(loc) ? v.str(loc) : undefined;
  const zoneError = zone === undefined ? undefined : timeZoneError(zone);
  if (zoneError) v.report(ID, zoneError, loc);
}

/** strconv.Atoi: an optional sign and decimal digits, nothing around them; NaN otherwise. */
function atoi(s: string): number {
  return /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) < 2 ** 63 ? Number(s) : Number.NaN;
}
/** WeekdayRange: lower-cased names only (no numbers). */
function weekday(s: string): number {
  const n = WEEKDAYS.indexOf(s);
  return n >= 0 ? n : Number.NaN;
}
/** MonthRange: a lower-cased name, else any integer (amtool does not range-check numbers). */
function month(s: string): number {
  const n = MONTHS.indexOf(s);
  return n >= 0 ? n + 1 : atoi(s);
}

/**
 * `a` or `a:b` items as timeinterval's stringableRangeFromString reads them: lower-cased, split on
 * `:` into exactly two members, each parsed as it is (no trimming); `parse` gives NaN for a member
 * it does not take, and `check` judges the range (begin, end) as the type's UnmarshalYAML does.
 */
function ranges(
  v: View,
  list: Node | null | undefined,
  what: string,
  parse: (s: string) => number,
  check: (begin: number, end: number) => string | undefined,
): void {
  for (const item of v.items(list)) {
    const raw = v.str(item);
    if (raw === undefined) continue;
    const s = raw.toLowerCase();
    const parts = s.includes(':') ? s.split(':') : [s, s];
    if (parts.length !== 2) {
      v.report(ID, `couldn't parse range ${JSON.stringify(raw)}, invalid format`, item);
      continue;
    }
    const [a, b] = parts.map(parse) as [number, number];
    const badPart = Number.isNaN(a) ? parts[0] : Number.isNaN(b) ? parts[1] : undefined;
    const e = badPart !== undefined ? `${JSON.stringify(badPart)} is not a valid ${what}` : check(a, b);
    if (e) v.report(ID, `invalid ${what} ${JSON.stringify(raw)}: ${e}`, item);
  }
}
