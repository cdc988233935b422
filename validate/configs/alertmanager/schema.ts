/**
 * The fields Alertmanager knows, object by object, after alertmanager/config (config.go,
 * notifiers.go) and prometheus/common's HTTP client config. amtool loads with
 * yaml.UnmarshalStrict: an unknown field anywhere refuses the file, and so does a value of the
 * wrong shape (a mapping where a string goes). The tables are upstream's newest field set, so
 * fields added after Alertmanager 0.25 (Mattermost, Slack app tokens, *_file secrets) are known.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { isNull, scalarString } from '../../context.js';
import { type GoType, goTypeError, TLS_VERSIONS } from './values.js';
import type { View } from './view.js';

/**
 * s: a scalar (a Go string: go-yaml takes any scalar); b, i, u: a Go bool, int64 or uint64 (what
 * go-yaml v2 decodes into it, goTypeError); l: a list of scalars; m: a mapping of scalars; any: not
 * looked into; enum: a string out of a fixed set.
 */
type Spec =
  | 's'
  | 'b'
  | 'i'
  | 'u'
  | 'l'
  | 'm'
  | 'any'
  | { enum: readonly string[] }
  | { obj: Schema }
  | { list: Schema };
export type Schema = { readonly [field: string]: Spec };

const fields = (names: string, spec: Spec = 's'): Schema =>
  Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => [n, spec]),
  );

const TLS_VERSION = { enum: TLS_VERSIONS } as const;
const TLS: Schema = {
  ...fields('ca ca_file ca_ref cert cert_file cert_ref key key_file key_ref server_name'),
  insecure_skip_verify: 'b',
  min_version: TLS_VERSION,
  max_version: TLS_VERSION,
};
export const HTTP_CONFIG: Schema = {
  authorization: { obj: fields('type credentials credentials_file credentials_ref') },
  basic_auth: { obj: fields('username username_file username_ref password password_file password_ref') },
  ...fields('bearer_token bearer_token_file proxy_url no_proxy'),
  ...fields('proxy_from_environment follow_redirects enable_http2', 'b'),
  oauth2: 'any',
  proxy_connect_header: 'any',
  http_headers: 'any',
  tls_config: { obj: TLS },
};
const NOTIFIER = { send_resolved: 'b', http_config: { obj: HTTP_CONFIG } } as const;

export const INTEGRATIONS: Record<string, Schema> = {
  email: {
    ...fields(
      'to from hello smarthost auth_username auth_password auth_password_file auth_secret auth_secret_file auth_identity html text threading',
    ),
    ...fields('send_resolved require_tls force_implicit_tls', 'b'),
    headers: 'm',
    tls_config: { obj: TLS },
  },
  pagerduty: {
    ...NOTIFIER,
    ...fields(
      'service_key service_key_file routing_key routing_key_file url client client_url description source severity class component group timeout',
    ),
    details: 'any',
    images: { list: fields('src alt href') },
    links: { list: fields('href text') },
  },
  slack: {
    ...NOTIFIER,
    ...fields(
      'api_url api_url_file app_token app_token_file app_url channel username color title title_link pretext text footer fallback callback_id icon_emoji icon_url image_url thumb_url timeout message_text',
    ),
    ...fields('short_fields link_names update_message', 'b'),
    mrkdwn_in: 'l',
    fields: { list: { ...fields('title value'), short: 'b' } },
    actions: {
      list: {
        ...fields('type text url style name value'),
        confirm: { obj: fields('text title ok_text dismiss_text') },
      },
    },
  },
  webhook: { ...NOTIFIER, ...fields('url url_file timeout'), max_alerts: 'u' },
  opsgenie: {
    ...NOTIFIER,
    ...fields('api_key api_key_file api_url message description source entity actions tags note priority'),
    update_alerts: 'b',
    details: 'm',
    responders: { list: fields('id name username type') },
  },
  wechat: {
    ...NOTIFIER,
    ...fields('api_secret api_secret_file corp_id message api_url to_user to_party to_tag agent_id message_type'),
  },
  pushover: {
    ...NOTIFIER,
    ...fields(
      'user_key user_key_file token token_file title message url url_title device sound priority retry expire ttl',
    ),
    ...fields('html monospace', 'b'),
  },
  victorops: {
    ...NOTIFIER,
    ...fields(
      'api_key api_key_file api_url routing_key message_type state_message entity_display_name monitoring_tool',
    ),
    custom_fields: 'm',
  },
  sns: {
    ...NOTIFIER,
    ...fields('api_url topic_arn phone_number target_arn subject message'),
    sigv4: 'any',
    attributes: 'm',
  },
  telegram: {
    ...NOTIFIER,
    ...fields('api_url bot_token bot_token_file chat_id_file message parse_mode'),
    ...fields('chat_id message_thread_id', 'i'),
    disable_notifications: 'b',
  },
  discord: { ...NOTIFIER, ...fields('webhook_url webhook_url_file content title message username avatar_url') },
  webex: { ...NOTIFIER, ...fields('api_url message room_id') },
  msteams: { ...NOTIFIER, ...fields('webhook_url webhook_url_file title summary text') },
  msteamsv2: { ...NOTIFIER, ...fields('webhook_url webhook_url_file title text') },
  jira: {
    ...NOTIFIER,
    ...fields(
      'api_url api_type project summary description priority issue_type reopen_transition resolve_transition wont_fix_resolution reopen_duration',
    ),
    labels: 'l',
    fields: 'any',
  },
  rocketchat: {
    ...NOTIFIER,
    ...fields(
      'api_url token_id token_id_file token token_file channel color title title_link text emoji icon_url image_url thumb_url',
    ),
    ...fields('short_fields link_names', 'b'),
    fields: 'any',
    actions: 'any',
  },
  mattermost: {
    ...NOTIFIER,
    ...fields('webhook_url webhook_url_file channel username text icon_url icon_emoji'),
    attachments: 'any',
    props: 'any',
    priority: 'any',
  },
  incidentio: {
    ...NOTIFIER,
    ...fields('url url_file alert_source_token alert_source_token_file timeout'),
    max_alerts: 'u',
  },
};

export const GLOBAL: Schema = {
  ...fields(`resolve_timeout smtp_from smtp_hello smtp_smarthost smtp_auth_username smtp_auth_password
    smtp_auth_password_file smtp_auth_secret smtp_auth_secret_file smtp_auth_identity slack_api_url slack_api_url_file slack_app_token slack_app_token_file slack_app_url
    pagerduty_url opsgenie_api_url opsgenie_api_key opsgenie_api_key_file wechat_api_url wechat_api_secret
    wechat_api_secret_file wechat_api_corp_id victorops_api_url victorops_api_key victorops_api_key_file
    telegram_api_url telegram_bot_token telegram_bot_token_file webex_api_url jira_api_url rocketchat_api_url
    rocketchat_token rocketchat_token_file rocketchat_token_id rocketchat_token_id_file mattermost_webhook_url
    mattermost_webhook_url_file`),
  ...fields('smtp_require_tls smtp_force_implicit_tls', 'b'),
  http_config: { obj: HTTP_CONFIG },
  smtp_tls_config: { obj: TLS },
};

const ROUTE: Schema = {
  ...fields('receiver group_wait group_interval repeat_interval'),
  continue: 'b',
  group_by: 'l',
  matchers: 'l',
  match: 'm',
  match_re: 'any',
  mute_time_intervals: 'l',
  active_time_intervals: 'l',
  labels: 'm',
};
(ROUTE as Record<string, Spec>).routes = { list: ROUTE };

export const RECEIVER: Schema = {
  name: 's',
  labels: 'm',
  ...Object.fromEntries(Object.entries(INTEGRATIONS).map(([k, s]) => [`${k}_configs`, { list: s }])),
};

const TIME_INTERVAL: Schema = {
  name: 's',
  time_intervals: {
    list: {
      times: { list: fields('start_time end_time') },
      weekdays: 'l',
      days_of_month: 'l',
      months: 'l',
      years: 'l',
      location: 's',
    },
  },
};

export const CONFIG: Schema = {
  global: { obj: GLOBAL },
  route: { obj: ROUTE },
  receivers: { list: RECEIVER },
  inhibit_rules: {
    list: {
      name: 's',
      ...fields('source_matchers target_matchers equal', 'l'),
      ...fields('source_match target_match', 'm'),
      ...fields('source_match_re target_match_re', 'any'),
    },
  },
  templates: 'l',
  time_intervals: { list: TIME_INTERVAL },
  mute_time_intervals: { list: TIME_INTERVAL },
  tracing: 'any',
  event_recorder: 'any',
};

const GO_TYPE = { b: 'bool', i: 'int64', u: 'uint64' } as const satisfies Record<string, GoType>;

const shapeOf = (n: Node): string => (isMap(n) ? 'a mapping' : isSeq(n) ? 'a list' : 'a scalar');

/** Unknown fields (`alertmanager/unknown-field`) and values of the wrong shape (`alertmanager/field-type`). */
export function checkSchema(v: View, node: Node, schema: Schema, where: string): void {
  const map = v.map(node);
  if (!map) return;
  for (const f of v.fields(map)) {
    const spec = schema[f.key];
    if (spec === undefined) {
      v.report(
        'alertmanager/unknown-field',
        `unknown field "${f.key}" in ${where} (valid: ${Object.keys(schema).join(', ')})`,
        f.keyNode,
      );
      continue;
    }
    if (spec === 'any' || f.value === null || isNull(f.value)) continue;
    const val = f.value;
    const scalar =
      spec === 's' || spec === 'b' || spec === 'i' || spec === 'u' || (typeof spec === 'object' && 'enum' in spec);
    const want = scalar
      ? isScalar(val)
      : spec === 'm' || (typeof spec === 'object' && 'obj' in spec)
        ? isMap(val)
        : isSeq(val);
    if (!want) {
      const expected = scalar
        ? 'a scalar'
        : spec === 'm' || (typeof spec === 'object' && 'obj' in spec)
          ? 'a mapping'
          : 'a list';
      v.report('alertmanager/field-type', `"${f.key}" in ${where} must be ${expected}, got ${shapeOf(val)}`, val);
      continue;
    }
    if (spec === 'b' || spec === 'i' || spec === 'u') {
      const e = goTypeError(val, GO_TYPE[spec]);
      if (e) v.report('alertmanager/field-type', `"${f.key}" in ${where}: ${e}`, val);
    } else if (typeof spec === 'object' && 'enum' in spec) {
      // A TLS version is read with UnmarshalYAML into a string: any scalar, looked up as written.
      const s = scalarString(val) ?? '';
      if (!spec.enum.includes(s))
        v.report(
          'alertmanager/field-type',
          `"${f.key}" in ${where}: unknown value ${JSON.stringify(s)} (valid: ${spec.enum.join(', ')})`,
          val,
        );
    } else if (spec === 'l' || spec === 'm') {
      const items = isSeq(val) ? val.items : isMap(val) ? val.items.map((p) => p.value) : [];
      for (const i of items) {
        const d = v.deref(i);
        if (d && !isNull(d) && !isScalar(d))
          v.report('alertmanager/field-type', `"${f.key}" in ${where} takes scalars, got ${shapeOf(d)}`, d);
      }
    } else if (typeof spec === 'object' && 'obj' in spec) checkSchema(v, val, spec.obj, f.key);
    else if (typeof spec === 'object' && 'list' in spec)
      for (const i of v.items(val)) {
        if (i && !isNull(i) && !isMap(i))
          v.report('alertmanager/field-type', `each entry of "${f.key}" must be a mapping, got ${shapeOf(i)}`, i);
        else if (i) checkSchema(v, i, spec.list, f.key.replace(/s$/, ''));
      }
  }
}
