/**
 * The routing tree as config.Load and Route.UnmarshalYAML judge it: the root route (present,
 * with a default receiver, no matchers, no `continue`, no time intervals), every route's
 * receiver defined, group_by label names, durations, and time intervals that exist.
 */
import type { Node, YAMLMap } from 'yaml';
import { isNull, LABEL_NAME } from '../../context.js';
import { parseDuration } from '../../duration.js';
import { checkMatcherList, checkMatchMap, checkMatchRe } from './matchers.js';
import { goBool } from './values.js';
import type { View } from './view.js';

export function checkRouteTree(v: View, receivers: ReadonlySet<string>, intervals: ReadonlySet<string>): void {
  const routeNode = v.get(v.root, 'route');
  const route = v.map(routeNode);
  if (!route) {
    if (routeNode === undefined || isNull(routeNode))
      v.report('alertmanager/root-route', 'no route provided in config', routeNode ? v.keyOf(v.root, 'route') : v.root);
    return;
  }
  const root = (id: string, msg: string, key: string) => v.report(id, msg, v.keyOf(route, key));
  if (!v.has(route, 'receiver'))
    root('alertmanager/root-route', 'root route must specify a default receiver', 'receiver');
  for (const k of ['matchers', 'match', 'match_re']) {
    const m = v.get(route, k);
    const n = v.seq(m)?.items.length ?? v.map(m)?.items.length ?? 0;
    if (n > 0) root('alertmanager/root-route', `root route must not have any matchers (found "${k}")`, k);
  }
  if (goBool(v.get(route, 'continue')))
    root('alertmanager/root-route', 'cannot have continue in root route', 'continue');
  for (const [k, what] of [
    ['mute_time_intervals', 'mute'],
    ['active_time_intervals', 'active'],
  ] as const)
    if ((v.seq(v.get(route, k))?.items.length ?? 0) > 0)
      root('alertmanager/root-route', `root route must not have any ${what} time intervals`, k);
  walk(route);

  function walk(r: YAMLMap): void {
    const rn = v.get(r, 'receiver');
    const receiver = v.str(rn);
    if (receiver && !receivers.has(receiver))
      v.report('alertmanager/receiver', `undefined receiver ${JSON.stringify(receiver)} used in route`, rn);
    for (const k of ['group_wait', 'group_interval', 'repeat_interval']) {
      const d = v.get(r, k);
      if (d === undefined || isNull(d)) continue;
      const s = v.str(d);
      const ms = s === undefined ? undefined : parseDuration(s);
      if (ms === undefined)
        v.report('alertmanager/duration', `"${k}": not a valid duration: ${JSON.stringify(s ?? '')}`, d);
      else if (k !== 'group_wait' && ms === 0) v.report('alertmanager/duration', `${k} cannot be zero`, d);
    }
    checkGroupBy(v, v.get(r, 'group_by'));
    checkMatcherList(v, v.get(r, 'matchers'));
    checkMatchMap(v, v.get(r, 'match'));
    checkMatchRe(v, v.get(r, 'match_re'), 'match_re');
    const labels = v.map(v.get(r, 'labels'));
    for (const f of labels ? v.fields(labels) : [])
      if (!LABEL_NAME.test(f.key))
        v.report('alertmanager/label-name', `invalid label name ${JSON.stringify(f.key)} in route labels`, f.keyNode);
    for (const k of ['mute_time_intervals', 'active_time_intervals'])
      for (const t of v.items(v.get(r, k))) {
        const n = v.str(t);
        if (n !== undefined && !intervals.has(n))
          v.report('alertmanager/time-interval', `undefined time interval ${JSON.stringify(n)} used in route`, t);
      }
    for (const c of v.items(v.get(r, 'routes'))) {
      const m = v.map(c);
      if (m) walk(m);
    }
  }
}

/** Route.UnmarshalYAML: label names, no duplicates, `...` alone. */
function checkGroupBy(v: View, gb: Node | null | undefined): void {
  const items = v.items(gb);
  const seen = new Set<string>();
  let all: Node | null = null;
  let others = 0;
  for (const l of items) {
    const s = v.str(l);
    if (s === undefined) continue;
    if (s === '...') {
      all = l;
      continue;
    }
    others++;
    if (!LABEL_NAME.test(s))
      v.report('alertmanager/group-by', `invalid label name ${JSON.stringify(s)} in group_by list`, l);
    else if (seen.has(s)) v.report('alertmanager/group-by', `duplicated label ${JSON.stringify(s)} in group_by`, l);
    seen.add(s);
  }
  if (all && others > 0)
    v.report('alertmanager/group-by', 'cannot have wildcard group_by (`...`) and other labels at the same time', all);
}
