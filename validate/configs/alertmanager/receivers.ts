/**
 * Receivers and the global section, as Config.UnmarshalYAML and each notifier's UnmarshalYAML
 * judge them: unique names, a secret given at most once (inline or `*_file`), credentials and
 * URLs present in the receiver or inherited from `global`, URL and host:port values that parse,
 * and each integration's own required fields. Messages name fields, never their values.
 */
import { isScalar, type Node, type YAMLMap } from 'yaml';
import { isNull } from '../../context.js';
import { parseDuration } from '../../duration.js';
import { INTEGRATIONS } from './schema.js';
import { goBool, goInt, hostPortError, parseGoDuration, urlError } from './values.js';
import type { View } from './view.js';

const SLACK_APP_URL = 'https://slack.com/api/chat.postMessage';

/** Secrets that may be given inline or as a file, never both. */
const GLOBAL_PAIRS = [
  'slack_api_url',
  'slack_app_token',
  'opsgenie_api_key',
  'victorops_api_key',
  'smtp_auth_password',
  'smtp_auth_secret',
  'rocketchat_token',
  'rocketchat_token_id',
  'telegram_bot_token',
  'wechat_api_secret',
  'mattermost_webhook_url',
];
const PAIRS: Record<string, string[]> = {
  slack: ['api_url', 'app_token'],
  opsgenie: ['api_key'],
  victorops: ['api_key'],
  pagerduty: ['routing_key', 'service_key'],
  pushover: ['user_key', 'token'],
  webhook: ['url'],
  discord: ['webhook_url'],
  msteams: ['webhook_url'],
  msteamsv2: ['webhook_url'],
  mattermost: ['webhook_url'],
  telegram: ['bot_token'],
  wechat: ['api_secret'],
  rocketchat: ['token', 'token_id'],
  incidentio: ['url', 'alert_source_token'],
};
/** URL-typed fields (config.URL / SecretURL): http or https with a host. */
const GLOBAL_URLS = [
  'slack_api_url',
  'slack_app_url',
  'pagerduty_url',
  'opsgenie_api_url',
  'wechat_api_url',
  'victorops_api_url',
  'telegram_api_url',
  'webex_api_url',
  'jira_api_url',
  'rocketchat_api_url',
  'mattermost_webhook_url',
];
const URLS: Record<string, string[]> = {
  slack: ['api_url', 'app_url'],
  pagerduty: ['url'],
  webhook: ['url'],
  opsgenie: ['api_url'],
  wechat: ['api_url'],
  victorops: ['api_url'],
  telegram: ['api_url'],
  discord: ['webhook_url'],
  webex: ['api_url'],
  msteams: ['webhook_url'],
  msteamsv2: ['webhook_url'],
  jira: ['api_url'],
  rocketchat: ['api_url'],
  mattermost: ['webhook_url'],
  incidentio: ['url'],
};

export function checkGlobal(v: View): YAMLMap | undefined {
  const g = v.map(v.get(v.root, 'global'));
  if (!g) return undefined;
  for (const k of GLOBAL_PAIRS)
    if (v.has(g, k) && v.has(g, `${k}_file`))
      v.report(
        'alertmanager/secret-and-file',
        `at most one of ${k} & ${k}_file must be configured`,
        v.keyOf(g, `${k}_file`),
      );
  const appToken = v.has(g, 'slack_app_token') || v.has(g, 'slack_app_token_file');
  const appUrl = v.str(v.get(g, 'slack_app_url')) ?? SLACK_APP_URL;
  const apiUrl = v.str(v.get(g, 'slack_api_url'));
  if (appToken && (v.has(g, 'slack_api_url_file') || (apiUrl && apiUrl !== appUrl)))
    v.report(
      'alertmanager/secret-and-file',
      'at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured',
      v.keyOf(g, 'slack_app_token'),
    );
  for (const k of GLOBAL_URLS) checkUrl(v, g, k, 'global');
  const smart = v.get(g, 'smtp_smarthost');
  const hp = v.str(smart);
  const e = hp === undefined ? undefined : hostPortError(hp);
  if (e) v.report('alertmanager/url', `smtp_smarthost: ${e} (want host:port)`, smart);
  const rt = v.get(g, 'resolve_timeout');
  if (rt && !isNull(rt) && parseDuration(v.str(rt) ?? '') === undefined)
    v.report(
      'alertmanager/duration',
      `"resolve_timeout": not a valid duration: ${JSON.stringify(v.str(rt) ?? '')}`,
      rt,
    );
  checkHttpConfig(v, v.get(g, 'http_config'));
  return g;
}

function checkUrl(v: View, map: YAMLMap, key: string, where: string): void {
  const n = v.get(map, key);
  if (n === undefined || isNull(n) || !isScalar(n)) return;
  const s = v.str(n) ?? '';
  // `<secret>` is how Alertmanager prints a SecretURL; a template is expanded per notification (newer upstream).
  if (s === '<secret>' || s.includes('{{')) return;
  const e = urlError(s);
  if (e) v.report('alertmanager/url', `${where} ${key} is not a valid URL: ${e}`, n);
}

/** prometheus/common HTTPClientConfig.Validate: one auth method, one source per secret. */
function checkHttpConfig(v: View, hc: Node | null | undefined): void {
  const m = v.map(hc);
  if (!m) return;
  const ba = v.map(v.get(m, 'basic_auth'));
  const au = v.map(v.get(m, 'authorization'));
  const pair = (map: YAMLMap | undefined, a: string, b: string, what: string) => {
    if (map && v.has(map, a) && v.has(map, b))
      v.report(
        'alertmanager/secret-and-file',
        `at most one of ${what} ${a} & ${b} must be configured`,
        v.keyOf(map, b),
      );
  };
  pair(m, 'bearer_token', 'bearer_token_file', 'http_config');
  pair(ba, 'password', 'password_file', 'basic_auth');
  pair(ba, 'username', 'username_file', 'basic_auth');
  pair(au, 'credentials', 'credentials_file', 'authorization');
  const methods = ['basic_auth', 'authorization', 'oauth2'].filter((k) => v.has(m, k));
  if (v.has(m, 'bearer_token') || v.has(m, 'bearer_token_file')) methods.push('bearer_token');
  if (methods.length > 1)
    v.report(
      'alertmanager/secret-and-file',
      `at most one of ${methods.join(', ')} must be configured in http_config`,
      m,
    );
  if (au && (v.str(v.get(au, 'type')) ?? '').toLowerCase() === 'basic')
    v.report(
      'alertmanager/integration',
      'authorization type cannot be set to "basic", use "basic_auth" instead',
      v.get(au, 'type'),
    );
}

/** Checks every receiver; returns the receiver names. */
export function checkReceivers(v: View, g: YAMLMap | undefined): Set<string> {
  const names = new Set<string>();
  for (const r of v.items(v.get(v.root, 'receivers'))) {
    const rm = v.map(r);
    if (!rm) continue;
    const nameNode = v.get(rm, 'name');
    const name = v.str(nameNode);
    if (!name) v.report('alertmanager/receiver', 'missing name in receiver', nameNode ?? rm);
    else if (names.has(name))
      v.report('alertmanager/receiver', `notification config name ${JSON.stringify(name)} is not unique`, nameNode);
    else names.add(name);
    const labelName = v.get(v.get(rm, 'labels'), 'name');
    if (name && labelName !== undefined && v.str(labelName) !== name)
      v.report(
        'alertmanager/receiver',
        `receiver label "name" must equal the receiver's name ${JSON.stringify(name)}`,
        labelName,
      );
    for (const kind of Object.keys(INTEGRATIONS))
      for (const c of v.items(v.get(rm, `${kind}_configs`))) {
        if (c === null || isNull(c)) {
          v.report(
            'alertmanager/integration',
            `missing ${kind} config (an empty entry in ${kind}_configs)`,
            v.keyOf(rm, `${kind}_configs`),
          );
          continue;
        }
        const cm = v.map(c);
        if (cm) checkIntegration(v, kind, cm, g);
      }
  }
  return names;
}

function checkIntegration(v: View, kind: string, c: YAMLMap, g: YAMLMap | undefined): void {
  const where = `${kind}_config`;
  const has = (k: string) => v.has(c, k);
  const gHas = (k: string) => v.has(g, k);
  const need = (msg: string) => v.report('alertmanager/missing-credentials', `${msg} (${where})`, c);
  const bad = (msg: string, key?: string) =>
    v.report('alertmanager/integration', `${msg} (${where})`, key ? v.keyOf(c, key) : c);
  for (const k of PAIRS[kind] ?? [])
    if (has(k) && has(`${k}_file`))
      v.report(
        'alertmanager/secret-and-file',
        `at most one of ${k} & ${k}_file must be configured (${where})`,
        v.keyOf(c, `${k}_file`),
      );
  for (const k of URLS[kind] ?? []) checkUrl(v, c, k, where);
  checkHttpConfig(v, v.get(c, 'http_config'));
  const either = (k: string) => has(k) || has(`${k}_file`);
  const gEither = (k: string) => gHas(k) || gHas(`${k}_file`);
  switch (kind) {
    case 'email': {
      if (!has('to')) bad('missing to address in email config');
      const smart = v.get(c, 'smarthost');
      const e = hostPortError(v.str(smart) ?? '');
      if (e) v.report('alertmanager/url', `smarthost: ${e} (want host:port) (${where})`, smart);
      if (!has('smarthost') && !gHas('smtp_smarthost')) need('no SMTP smarthost set, here or as global smtp_smarthost');
      if (!has('from') && !gHas('smtp_from')) need('no SMTP from address set, here or as global smtp_from');
      const seen = new Set<string>();
      const headers = v.map(v.get(c, 'headers'));
      for (const f of headers ? v.fields(headers) : []) {
        const canon = f.key.toLowerCase();
        if (seen.has(canon))
          v.report('alertmanager/integration', `duplicate header ${JSON.stringify(f.key)} in email config`, f.keyNode);
        seen.add(canon);
      }
      break;
    }
    case 'slack': {
      if (!either('api_url') && !either('app_token') && !gEither('slack_api_url') && !gEither('slack_app_token'))
        need('no Slack API URL nor app token set, here or in global');
      const api = v.str(v.get(c, 'api_url')) ?? (either('api_url') ? undefined : v.str(v.get(g, 'slack_api_url')));
      const token = either('app_token') || (!either('api_url') && gEither('slack_app_token'));
      if (goBool(v.get(c, 'update_message')) && !token && api !== SLACK_APP_URL)
        bad(`update_message can only be used with bot tokens: api_url must be ${SLACK_APP_URL}`, 'update_message');
      for (const a of v.items(v.get(c, 'actions'))) {
        if (!v.has(a, 'type') || !v.has(a, 'text'))
          v.report('alertmanager/integration', 'a Slack action needs a type and a text', a);
        else if (!v.has(a, 'url') && !v.has(a, 'name'))
          v.report('alertmanager/integration', 'a Slack action needs a name or a url', a);
        const confirm = v.get(a, 'confirm');
        if (v.map(confirm) && !v.has(confirm, 'text'))
          v.report('alertmanager/integration', 'missing text in Slack confirmation configuration', confirm);
      }
      for (const f of v.items(v.get(c, 'fields')))
        if (!v.has(f, 'title') || !v.has(f, 'value'))
          v.report('alertmanager/integration', 'a Slack field needs a title and a value', f);
      break;
    }
    case 'pagerduty':
      if (!either('routing_key') && !either('service_key')) need('missing service or routing key in PagerDuty config');
      break;
    case 'opsgenie':
      if (!either('api_key') && !gEither('opsgenie_api_key'))
        need('no OpsGenie API key set, here or as global opsgenie_api_key');
      for (const r of v.items(v.get(c, 'responders'))) {
        if (!v.has(r, 'id') && !v.has(r, 'name') && !v.has(r, 'username'))
          v.report('alertmanager/integration', 'an OpsGenie responder needs an id, a username or a name', r);
        const t = v.str(v.get(r, 'type')) ?? '';
        if (!t.includes('{{') && !/^(team|teams|user|escalation|schedule)$/.test(t.toLowerCase()))
          v.report(
            'alertmanager/integration',
            `OpsGenie responder type ${JSON.stringify(t)} is not one of team, teams, user, escalation, schedule`,
            v.get(r, 'type') ?? r,
          );
      }
      break;
    case 'wechat': {
      if (!either('api_secret') && !gEither('wechat_api_secret'))
        need('no WeChat API secret set, here or as global wechat_api_secret');
      if (!has('corp_id') && !gHas('wechat_api_corp_id'))
        need('no WeChat corp_id set, here or as global wechat_api_corp_id');
      const t = v.str(v.get(c, 'message_type'));
      if (t && !/^(text|markdown)$/.test(t))
        bad(`message_type ${JSON.stringify(t)} is not text or markdown`, 'message_type');
      break;
    }
    case 'victorops': {
      if (!either('api_key') && !gEither('victorops_api_key'))
        need('no VictorOps API key set, here or as global victorops_api_key');
      if (!has('routing_key')) bad('missing routing_key in VictorOps config');
      const cf = v.map(v.get(c, 'custom_fields'));
      for (const f of cf ? v.fields(cf) : [])
        if (
          [
            'routing_key',
            'message_type',
            'state_message',
            'entity_display_name',
            'monitoring_tool',
            'entity_id',
            'entity_state',
          ].includes(f.key)
        )
          v.report(
            'alertmanager/integration',
            `VictorOps custom field ${f.key} conflicts with a fixed field`,
            f.keyNode,
          );
      break;
    }
    case 'pushover':
      if (!either('user_key')) need('one of user_key or user_key_file must be configured');
      if (!either('token')) need('one of token or token_file must be configured');
      if (goBool(v.get(c, 'html')) && goBool(v.get(c, 'monospace')))
        bad('at most one of monospace & html must be configured', 'monospace');
      for (const k of ['retry', 'expire', 'ttl']) {
        const d = v.get(c, k);
        if (d && !isNull(d) && parseGoDuration(v.str(d) ?? '') === undefined)
          v.report('alertmanager/duration', `"${k}": not a valid duration (${where})`, d);
      }
      break;
    case 'sns': {
      const a = !has('target_arn');
      const b = !has('topic_arn');
      const p = !has('phone_number');
      // Go's (a != b) != c, exactly as SNSConfig.UnmarshalYAML writes it.
      if ((a !== b) !== p) need('must provide either a Target ARN, Topic ARN, or Phone Number for SNS config');
      break;
    }
    case 'telegram': {
      if (!either('bot_token') && !gEither('telegram_bot_token'))
        need('missing bot_token or bot_token_file on telegram_config, and no global telegram_bot_token');
      // chat_id is an int64 (the schema walk reports what is not one); 0 is Go's "not set".
      if (!has('chat_id') && !has('chat_id_file')) bad('missing chat_id on telegram_config');
      else if (has('chat_id') && goInt(v.get(c, 'chat_id')) === 0n)
        bad('missing chat_id on telegram_config', 'chat_id');
      const pm = v.str(v.get(c, 'parse_mode'));
      if (pm && !['Markdown', 'MarkdownV2', 'HTML'].includes(pm))
        bad('unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string', 'parse_mode');
      break;
    }
    case 'discord':
    case 'msteams':
    case 'msteamsv2':
      if (!either('webhook_url')) need('one of webhook_url or webhook_url_file must be configured');
      break;
    case 'mattermost':
      if (!either('webhook_url') && !gEither('mattermost_webhook_url'))
        need('no Mattermost webhook URL set, here or as global mattermost_webhook_url');
      break;
    case 'webhook':
    case 'incidentio':
      if (!either('url')) need('one of url or url_file must be configured');
      if (kind === 'webhook') {
        const t = v.get(c, 'timeout');
        if (t && !isNull(t) && parseGoDuration(v.str(t) ?? '') === undefined)
          v.report('alertmanager/duration', `"timeout": not a valid duration (${where})`, t);
      }
      break;
    case 'webex':
      if (!has('room_id')) bad('missing room_id on webex_config');
      if (!v.map(v.get(v.get(c, 'http_config'), 'authorization')))
        need('missing webex_configs.http_config.authorization');
      break;
    case 'jira':
      if (!has('project')) bad('missing project in jira_config');
      if (!has('issue_type')) bad('missing issue_type in jira_config');
      if (!has('api_url') && !gHas('jira_api_url')) need('no Jira API URL set, here or as global jira_api_url');
      break;
    case 'rocketchat':
      if (!either('token_id') && !gEither('rocketchat_token_id'))
        need('no Rocket.Chat token_id set, here or in global');
      if (!either('token') && !gEither('rocketchat_token')) need('no Rocket.Chat token set, here or in global');
      break;
    default:
      break;
  }
}

/** Inhibit rules' `equal`: label names. */
export function checkEqual(v: View, list: Node | null | undefined, validName: (s: string) => boolean): void {
  for (const l of v.items(list)) {
    const s = v.str(l);
    if (s !== undefined && !validName(s))
      v.report('alertmanager/label-name', `invalid label name ${JSON.stringify(s)} in equal list`, l);
  }
}
