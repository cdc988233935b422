/** The promtool unit-test file format (`promtool test rules`), typed. */
import type { Duration } from '../config/promql.js';

export interface PromtoolSeries {
  series: string;
  values: string;
}

export interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

export interface AlertRuleTest {
  eval_time: Duration;
  alertname: string;
  exp_alerts: ExpectedAlert[];
}

export interface PromqlExprTest {
  expr: string;
  eval_time: Duration;
  exp_samples: Array<{ labels: string; value: number }>;
}

export interface PromtoolTestGroup {
  name: string;
  interval: Duration;
  input_series: PromtoolSeries[];
  alert_rule_test?: AlertRuleTest[];
  promql_expr_test?: PromqlExprTest[];
}

export interface PromtoolTestFile {
  rule_files: string[];
  evaluation_interval: Duration;
  /** promtool otherwise evaluates groups in map order: recording groups must run before the alerts. */
  group_eval_order: string[];
  tests: PromtoolTestGroup[];
}
