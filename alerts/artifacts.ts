/**
 * Every alerts artifact, as files relative to dist/: rule files, prometheus.yml, alertmanager.yml,
 * promtool suites, runbooks and Kubernetes manifests. Pure; scripts/ writes them.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import type { Finding } from '../validate/finding.js';
import { alertmanagerConfig } from './alertmanager.js';
import { missingPanels, panelIds } from './dashboard-links.js';
import { alertSpecs, alertSpecsByComponent, ruleGroups } from './groups.js';
import { alertmanagerSecret, prometheusRule } from './kubernetes.js';
import { prometheusConfig } from './prometheus-config.js';
import { ruleFileDoc, ruleFilePath } from './rule-files.js';
import { runbooks } from './runbooks.js';
import { SCALING_RUNBOOK, scalingRunbook } from './scaling.js';
import { scalingManifests } from './scaling-k8s.js';
import { scalingSuite } from './scaling-scenarios.js';
import { scenarioSuites } from './scenarios.js';
import { generatedSuites } from './tests.js';
import { GENERATED, toYaml } from './yaml-output.js';

export function alertArtifacts(cfg: MixinConfig): Map<string, string> {
  const files = new Map<string, string>();
  const panels = panelIds(cfg);
  const groups = ruleGroups(cfg, panels);
  for (const g of groups) files.set(ruleFilePath(g), toYaml(ruleFileDoc([g]), GENERATED));
  files.set('prometheus/prometheus.yml', toYaml(prometheusConfig(cfg), GENERATED));
  const am = toYaml(alertmanagerConfig(cfg), GENERATED);
  files.set('alertmanager/alertmanager.yml', am);
  // Tests live in dist/tests/: rule files are referenced relative to them, recording groups first.
  const ruleFiles = groups.map((g) => `../${ruleFilePath(g)}`);
  const order = groups.map((g) => g.name);
  const suites = new Map([
    ...generatedSuites(cfg, alertSpecsByComponent(cfg), ruleFiles, order, panels),
    ...scenarioSuites(cfg, ruleFiles, order, panels),
    ['scenario-scaling', scalingSuite(cfg, ruleFiles, order)],
  ]);
  for (const [name, suite] of suites) files.set(`tests/${name}.yml`, toYaml(suite, GENERATED));
  for (const [alert, md] of runbooks(cfg, alertSpecs(cfg), panels)) files.set(`runbooks/${alert}.md`, md);
  files.set(`runbooks/${SCALING_RUNBOOK}.md`, scalingRunbook(cfg));
  files.set('k8s/prometheus-rule.yaml', toYaml(prometheusRule(cfg, groups), GENERATED));
  files.set('k8s/alertmanager-config.yaml', toYaml(alertmanagerSecret(cfg, am), GENERATED));
  for (const [path, text] of scalingManifests(cfg)) files.set(path, text);
  return files;
}

/**
 * What only the generator can know: an alert linking to a dashboard panel that is not there.
 * Syntax, metric names and everything else are checked by the validate engine over the whole
 * output (scripts/lib/validate-output.ts).
 */
export function checkAlertArtifacts(_files: ReadonlyMap<string, string>, cfg: MixinConfig): Finding[] {
  return missingPanels(alertSpecs(cfg), panelIds(cfg)).map(
    (s): Finding => ({
      id: 'cross/missing-panel',
      severity: 'warning',
      message: `${s.alert} (${s.severity}) links to panel "${s.dashboard.panel}" which the ${s.dashboard.key} dashboard does not have; dashboard_url opens the whole dashboard`,
      context: `alert ${s.alert}`,
    }),
  );
}
