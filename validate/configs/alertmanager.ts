/**
 * Alertmanager configuration as `amtool check-config` loads it (alertmanager/config: Load,
 * the UnmarshalYAML methods of Config, Route, Receiver and every notifier). Every rule amtool
 * refuses a file for is an error here, under one id per rule class (alertmanager/*); the parts
 * live in ./alertmanager/. Where upstream is newer than Alertmanager 0.25 (new receivers and
 * fields), upstream's rule is followed.
 */
import type { YAMLMap } from 'yaml';
import { type FileContext, LABEL_NAME } from '../context.js';
import { checkMatcherList, checkMatchMap, checkMatchRe } from './alertmanager/matchers.js';
import { checkEqual, checkGlobal, checkReceivers } from './alertmanager/receivers.js';
import { checkRouteTree } from './alertmanager/routes.js';
import { CONFIG, checkSchema } from './alertmanager/schema.js';
import { checkTimeIntervals } from './alertmanager/time-intervals.js';
import { View } from './alertmanager/view.js';

export function checkAlertmanagerConfig(ctx: FileContext, root: YAMLMap): void {
  const v = new View(ctx, ctx.source.docs[ctx.docIndex], root);
  checkSchema(v, root, CONFIG, 'Alertmanager config');
  const global = checkGlobal(v);
  const receivers = checkReceivers(v, global);
  const intervals = checkTimeIntervals(v);
  checkRouteTree(v, receivers, intervals);
  for (const r of v.items(v.get(root, 'inhibit_rules'))) {
    if (!v.map(r)) continue;
    checkMatcherList(v, v.get(r, 'source_matchers'));
    checkMatcherList(v, v.get(r, 'target_matchers'));
    checkMatchMap(v, v.get(r, 'source_match'));
    checkMatchMap(v, v.get(r, 'target_match'));
    checkMatchRe(v, v.get(r, 'source_match_re'), 'source_match_re');
    checkMatchRe(v, v.get(r, 'target_match_re'), 'target_match_re');
    checkEqual(v, v.get(r, 'equal'), (s) => LABEL_NAME.test(s));
  }
}
