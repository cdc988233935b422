/**
 * Alertmanager configuration structure, hand-written after alertmanager/config: known keys,
 * the route tree (receivers that exist, durations, matchers, time intervals), receivers (unique
 * names, known integrations) and inhibition rules. amtool rejects all of these at load time.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { entries, type FileContext, get, isNull, LABEL_NAME, scalarString } from '../context.js';
import { parseDuration } from '../duration.js';
import { re2Error } from '../re2.js';
import { kindOf } from '../rules/check-rules.js';

const ID = 'schema/alertmanager';
const TOP = new Set([
  'global',
  'route',
  'receivers',
  'inhibit_rules',
  'templates',
  'time_intervals',
  'mute_time_intervals',
  'tracing',
]);
const ROUTE = new Set([
  'receiver',
  'group_by',
  'continue',
  'matchers',
  'match',
  'match_re',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'mute_time_intervals',
  'active_time_intervals',
  'routes',
]);
const INTEGRATIONS = [
  'email',
  'pagerduty',
  'slack',
  'webhook',
  'opsgenie',
  'wechat',
  'pushover',
  'victorops',
  'sns',
  'telegram',
  'discord',
  'webex',
  'msteams',
  'msteamsv2',
  'jira',
  'rocketchat',
];
const RECEIVER = new Set(['name', ...INTEGRATIONS.map((i) => `${i}_configs`)]);
const INHIBIT = new Set([
  'source_matchers',
  'target_matchers',
  'source_match',
  'source_match_re',
  'target_match',
  'target_match_re',
  'equal',
]);
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

export function checkAlertmanagerConfig(ctx: FileContext, root: YAMLMap): void {
  const err = (msg: string, n: Node | null | undefined) => ctx.report(ID, 'error', msg, n ?? root);
  for (const e of entries(root))
    if (!TOP.has(e.key))
      err(`unknown field "${e.key}" in Alertmanager config (valid: ${[...TOP].join(', ')})`, e.keyNode);
  const receivers = new Set<string>();
  const recv = get(root, 'receivers');
  if (recv !== undefined && !isNull(recv) && !isSeq(recv)) err(`"receivers" must be a list, got ${kindOf(recv)}`, recv);
  for (const r of isSeq(recv) ? recv.items : []) {
    if (!isMap(r)) {
      err('a receiver must be a mapping with a name', r as Node);
      continue;
    }
    for (const e of entries(r))
      if (!RECEIVER.has(e.key))
        err(
          `unknown field "${e.key}" in receiver (integrations: ${INTEGRATIONS.map((i) => `${i}_configs`).join(', ')})`,
          e.keyNode,
        );
    const nameNode = get(r, 'name');
    const name = scalarString(nameNode);
    if (!name) err('missing name on receiver', nameNode ?? r);
    else if (receivers.has(name)) err(`notification config name ${JSON.stringify(name)} is not unique`, nameNode);
    else receivers.add(name);
  }
  const intervals = new Set<string>();
  for (const k of ['time_intervals', 'mute_time_intervals']) {
    const list = get(root, k);
    for (const t of isSeq(list) ? list.items : []) {
      const n = isMap(t) ? scalarString(get(t, 'name')) : undefined;
      if (!n) err(`every entry of ${k} needs a name`, t as Node);
      else intervals.add(n);
    }
  }
  const route = get(root, 'route');
  if (!isMap(route)) err('no route provided in config', route ?? root);
  else {
    if (!scalarString(get(route, 'receiver'))) err('root route must specify a default receiver', route);
    for (const k of ['matchers', 'match', 'match_re'])
      if (get(route, k) !== undefined) err('root route must not have any matchers', get(route, k));
    checkRoute(route, true);
  }
  const inhibit = get(root, 'inhibit_rules');
  for (const r of isSeq(inhibit) ? inhibit.items : []) {
    if (!isMap(r)) {
      err('an inhibit rule must be a mapping', r as Node);
      continue;
    }
    for (const e of entries(r))
      if (!INHIBIT.has(e.key))
        err(`unknown field "${e.key}" in inhibit rule (valid: ${[...INHIBIT].join(', ')})`, e.keyNode);
    for (const k of ['source_matchers', 'target_matchers']) matchers(get(r, k));
    for (const k of ['source_match_re', 'target_match_re']) matchRe(get(r, k));
    const eq = get(r, 'equal');
    for (const l of isSeq(eq) ? eq.items : [])
      if (!LABEL_NAME.test(scalarString(l) ?? ''))
        err(`invalid label name ${JSON.stringify(scalarString(l))} in "equal"`, l as Node);
  }

  function checkRoute(r: YAMLMap, isRoot: boolean): void {
    for (const e of entries(r))
      if (!ROUTE.has(e.key)) err(`unknown field "${e.key}" in route (valid: ${[...ROUTE].join(', ')})`, e.keyNode);
    const rn = get(r, 'receiver');
    const receiver = scalarString(rn);
    if (receiver && !receivers.has(receiver)) err(`undefined receiver ${JSON.stringify(receiver)} used in route`, rn);
    for (const k of ['group_wait', 'group_interval', 'repeat_interval']) {
      const d = get(r, k);
      if (d === undefined || isNull(d)) continue;
      const s = scalarString(d);
      if (s === undefined || parseDuration(s) === undefined)
        ctx.report(
          'schema/duration',
          'error',
          `"${k}": not a valid duration string: ${JSON.stringify(s ?? kindOf(d))}`,
          d,
        );
      else if (k !== 'group_wait' && parseDuration(s) === 0) err(`"${k}" cannot be zero`, d);
    }
    const gb = get(r, 'group_by');
    if (gb !== undefined && !isNull(gb)) {
      if (!isSeq(gb)) err('"group_by" must be a list of label names', gb);
      const seen = new Set<string>();
      for (const l of isSeq(gb) ? gb.items : []) {
        const s = scalarString(l) ?? '';
        if (s !== '...' && !LABEL_NAME.test(s)) err(`invalid label name ${JSON.stringify(s)} in group_by`, l as Node);
        if (seen.has(s)) err(`duplicated label ${JSON.stringify(s)} in group_by`, l as Node);
        seen.add(s);
      }
    }
    if (!isRoot) {
      matchers(get(r, 'matchers'));
      matchRe(get(r, 'match_re'));
    }
    for (const k of ['mute_time_intervals', 'active_time_intervals']) {
      const list = get(r, k);
      for (const t of isSeq(list) ? list.items : []) {
        const n = scalarString(t);
        if (n && !intervals.has(n)) err(`undefined time interval ${JSON.stringify(n)} used in route`, t as Node);
      }
    }
    const routes = get(r, 'routes');
    if (routes !== undefined && !isNull(routes) && !isSeq(routes)) err('"routes" must be a list of routes', routes);
    for (const c of isSeq(routes) ? routes.items : []) {
      if (isMap(c)) checkRoute(c, false);
      else err('a route must be a mapping', c as Node);
    }
  }

  function matchers(list: Node | null | undefined): void {
    if (list === undefined || isNull(list)) return;
    if (!isSeq(list)) {
      err('matchers must be a list of strings such as severity="critical"', list);
      return;
    }
    for (const m of list.items) {
      const s = scalarString(m);
      if (s === undefined || !isScalar(m)) {
        err('a matcher must be a string such as severity="critical"', m as Node);
        continue;
      }
      for (const part of s.replace(/^\{|\}$/g, '').split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
        const mm = MATCHER.exec(part);
        if (!mm) {
          err(`bad matcher format: ${JSON.stringify(part.trim())} (want label="value", =~, != or !~)`, m);
          continue;
        }
        if (mm[2] === '=~' || mm[2] === '!~') {
          const v = (mm[3] ?? '').replace(/^"(.*)"$/, '$1');
          const e = re2Error(v);
          if (e)
            ctx.report('promql/regex', 'error', `invalid regular expression ${JSON.stringify(v)} in matcher: ${e}`, m);
        }
      }
    }
  }

  function matchRe(map: Node | null | undefined): void {
    if (!isMap(map)) return;
    for (const e of entries(map)) {
      const v = scalarString(e.value) ?? '';
      const x = re2Error(v);
      if (x)
        ctx.report(
          'promql/regex',
          'error',
          `invalid regular expression ${JSON.stringify(v)} for ${e.key}: ${x}`,
          e.value ?? e.keyNode,
        );
    }
  }
}
