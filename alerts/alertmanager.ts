/**
 * The Alertmanager config generated with the rules: routes by severity (critical → pager
 * channels, warning → chat, info → nowhere), per-severity timing (the cooldown), inhibitions
 * (RedisDown silences queue and worker alerts; critical silences the warning of the same alert),
 * and receivers whose secrets are read from files (`*_file`), never written inline.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import { queueAlerts } from './queue.js';
import type { AlertSeverity } from './rule-types.js';
import { workerAlerts } from './worker.js';

export const RECEIVERS = {
  critical: 'critical-pager',
  warning: 'warning-chat',
  info: 'null',
} as const satisfies Record<AlertSeverity, string>;
export const GROUP_BY = ['alertname', 'job', 'queue'];
/** Labels that must match for a critical alert to silence its warning twin. */
export const SEVERITY_INHIBIT_EQUAL = ['alertname', 'job', 'instance', 'queue'];

const SLACK_TITLE = '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})';
const SLACK_TEXT =
  '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\nDashboard: {{ .Annotations.dashboard_url }}\n{{ end }}';

type Receiver = { name: string } & Record<string, unknown>;

function integrations(cfg: MixinConfig, kinds: ReadonlyArray<'webhook' | 'slack' | 'email'>): Record<string, unknown> {
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

export function receivers(cfg: MixinConfig): Receiver[] {
  // Chat prefers Slack; without Slack the webhook stands in so warnings are not silently dropped.
  const chat: Array<'webhook' | 'slack'> = cfg.alertmanager.receivers.slack ? ['slack'] : ['webhook'];
  return [
    { name: RECEIVERS.critical, ...integrations(cfg, ['webhook', 'slack', 'email']) },
    { name: RECEIVERS.warning, ...integrations(cfg, chat) },
    { name: RECEIVERS.info },
  ];
}

const timing = (cfg: MixinConfig, s: AlertSeverity) => {
  const t = cfg.alertmanager.timing[s];
  return { group_wait: t.groupWait, group_interval: t.groupInterval, repeat_interval: t.repeatInterval };
};

/** Alert names RedisDown makes meaningless: everything about the queue and the workers. */
export function redisDependentAlerts(cfg: MixinConfig): string[] {
  return [...new Set([...queueAlerts(cfg), ...workerAlerts(cfg)].map((s) => s.alert))].sort();
}

export function alertmanagerConfig(cfg: MixinConfig): Record<string, unknown> {
  const severities: AlertSeverity[] = ['critical', 'warning', 'info'];
  return {
    global: { resolve_timeout: '5m' },
    route: {
      // Unknown severities land in chat rather than nowhere.
      receiver: RECEIVERS.warning,
      group_by: GROUP_BY,
      ...timing(cfg, 'warning'),
      routes: severities.map((s) => ({ receiver: RECEIVERS[s], matchers: [`severity="${s}"`], ...timing(cfg, s) })),
    },
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
    receivers: receivers(cfg),
  };
}
