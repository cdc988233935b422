/**
 * The Alertmanager config generated with the rules: the config's notification policies first (one
 * route per policy and severity, with its receiver and timings), then routes by severity
 * (critical → pager channels, warning → chat, info → nowhere) with per-severity timing (the
 * cooldown), inhibitions (RedisDown silences queue and worker alerts; critical silences the warning
 * of the same alert), and receivers whose secrets are read from files (`*_file`), never written
 * inline. A route whose receiver has no integration configured goes to the explicit no-op receiver
 * `null`: the file says where notifications go, and `build` notes when that is nowhere.
 */
import {
  INTEGRATION_RECEIVERS,
  type IntegrationReceiver,
  NULL_RECEIVER,
  SEVERITY_RECEIVERS,
} from '../config/alert-catalog.js';
import type { MixinConfig, NotificationPolicy } from '../config/mixin-config.js';
import type { AlertSpec } from './alert-spec.js';
import { alertSpecs } from './groups.js';
import { queueAlerts } from './queue.js';
import type { AlertSeverity } from './rule-types.js';
import { workerAlerts } from './worker.js';

export const RECEIVERS = SEVERITY_RECEIVERS;
export const GROUP_BY = ['alertname', 'job', 'queue'];
/** Labels that must match for a critical alert to silence its warning twin. */
export const SEVERITY_INHIBIT_EQUAL = ['alertname', 'job', 'instance', 'queue'];

const SLACK_TITLE = '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})';
const SLACK_TEXT =
  '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\nDashboard: {{ .Annotations.dashboard_url }}\n{{ end }}';

type Receiver = { name: string } & Record<string, unknown>;

function integrations(cfg: MixinConfig, kinds: readonly IntegrationReceiver[]): Record<string, unknown> {
  const r = cfg.alertmanager.receivers;
  const out: Record<string, unknown> = {};
  if (kinds.includes('webhook') && r.webhook) {
    // url_file needs Alertmanager >= 0.26; an inline url is only emitted when the config gives one (non-secret, e.g. localhost).
    out.webhook_configs = [
      { send_resolved: true, ...('urlFile' in r.webhook ? { url_file: r.webhook.urlFile } : { url: r.webhook.url }) },
    ];
  }
  if (kinds.includes('slack') && r.slack) {
    out.slack_configs = [
      {
        send_resolved: true,
        api_url_file: r.slack.apiUrlFile,
        channel: r.slack.channel,
        title: SLACK_TITLE,
        text: SLACK_TEXT,
      },
    ];
  }
  if (kinds.includes('email') && r.email) {
    const e = r.email;
    out.email_configs = [
      {
        send_resolved: true,
        to: e.to,
        from: e.from,
        smarthost: e.smarthost,
        ...(e.authUsername ? { auth_username: e.authUsername } : {}),
        ...(e.authPasswordFile ? { auth_password_file: e.authPasswordFile } : {}),
      },
    ];
  }
  return out;
}

/** The integrations the config names, in a fixed order. */
export function configuredIntegrations(cfg: MixinConfig): IntegrationReceiver[] {
  return INTEGRATION_RECEIVERS.filter((k) => Boolean(cfg.alertmanager.receivers[k]));
}

const isIntegration = (name: string): name is IntegrationReceiver =>
  (INTEGRATION_RECEIVERS as readonly string[]).includes(name);

/** What a receiver name sends through. */
function receiverKinds(cfg: MixinConfig, name: string): IntegrationReceiver[] {
  const on = configuredIntegrations(cfg);
  if (name === RECEIVERS.critical) return on;
  // Chat prefers Slack; without it the webhook, then email stand in so warnings are not dropped.
  if (name === RECEIVERS.warning) return on.includes('slack') ? ['slack'] : on.slice(0, 1);
  if (isIntegration(name)) return on.filter((k) => k === name);
  return [];
}

/** The receiver a route names, or the no-op receiver when that one would have no integration. */
export function deliveredTo(cfg: MixinConfig, name: string): string {
  return receiverKinds(cfg, name).length ? name : NULL_RECEIVER;
}

export function receivers(cfg: MixinConfig, used: ReadonlySet<string>): Receiver[] {
  const order = [RECEIVERS.critical, RECEIVERS.warning, ...INTEGRATION_RECEIVERS];
  return [
    ...order.filter((n) => used.has(n)).map((name) => ({ name, ...integrations(cfg, receiverKinds(cfg, name)) })),
    // Always present: the info route and the fallback for unconfigured receivers end here.
    { name: NULL_RECEIVER },
  ];
}

/** One line for `build` when no integration is configured: alerts then reach nobody. */
export function receiversNote(cfg: MixinConfig): string | undefined {
  if (configuredIntegrations(cfg).length) return undefined;
  return `note: alertmanager.receivers configures no webhook, slack or email, so the generated alertmanager.yml routes every alert to the no-op receiver "${NULL_RECEIVER}": notifications go nowhere until you configure one`;
}

const timing = (cfg: MixinConfig, s: AlertSeverity) => {
  const t = cfg.alertmanager.timing[s];
  return { group_wait: t.groupWait, group_interval: t.groupInterval, repeat_interval: t.repeatInterval };
};

/** Alert names RedisDown makes meaningless: everything about the queue and the workers. */
export function redisDependentAlerts(cfg: MixinConfig): string[] {
  return [...new Set([...queueAlerts(cfg), ...workerAlerts(cfg)].map((s) => s.alert))].sort();
}

const SEVERITIES: AlertSeverity[] = ['critical', 'warning', 'info'];

/** A child route of the generated tree. */
export interface Route {
  receiver: string;
  matchers: string[];
  group_wait: string;
  group_interval: string;
  repeat_interval: string;
}

const alertnameMatcher = (alerts: readonly string[]): string =>
  alerts.length === 1 ? `alertname="${alerts[0]}"` : `alertname=~"${alerts.join('|')}"`;

/**
 * One route per policy and severity its alerts carry (after the policy's own severity override):
 * a route's receiver and unset timings default to that severity's, which one route matching several
 * severities could not express.
 */
export function policyRoutes(cfg: MixinConfig, specs: readonly AlertSpec[]): Route[] {
  return cfg.alertmanager.policies.flatMap((p: NotificationPolicy) => {
    const present = new Set(specs.filter((s) => p.alerts.includes(s.alert)).map((s) => s.severity));
    return SEVERITIES.filter((s) => present.has(s)).map((s) => {
      const t = cfg.alertmanager.timing[s];
      return {
        receiver: deliveredTo(cfg, p.receiver ?? RECEIVERS[s]),
        matchers: [alertnameMatcher(p.alerts), `severity="${s}"`],
        group_wait: p.groupWait ?? t.groupWait,
        group_interval: p.groupInterval ?? t.groupInterval,
        repeat_interval: p.repeatInterval ?? t.repeatInterval,
      };
    });
  });
}

export function alertmanagerConfig(cfg: MixinConfig): Record<string, unknown> {
  const routes: Route[] = [
    ...policyRoutes(cfg, alertSpecs(cfg)),
    ...SEVERITIES.map((s) => ({
      receiver: deliveredTo(cfg, RECEIVERS[s]),
      matchers: [`severity="${s}"`],
      ...timing(cfg, s),
    })),
  ];
  // Unknown severities land in chat rather than nowhere.
  const fallback = deliveredTo(cfg, RECEIVERS.warning);
  const used = new Set([fallback, ...routes.map((r) => r.receiver)]);
  return {
    global: { resolve_timeout: '5m' },
    route: { receiver: fallback, group_by: GROUP_BY, ...timing(cfg, 'warning'), routes },
    inhibit_rules: [
      {
        source_matchers: ['alertname="RedisDown"'],
        target_matchers: [`alertname=~"${redisDependentAlerts(cfg).join('|')}"`],
      },
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: SEVERITY_INHIBIT_EQUAL,
      },
    ],
    receivers: receivers(cfg, used),
  };
}
