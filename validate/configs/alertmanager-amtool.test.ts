// Our verdict on Alertmanager configs (any error-level finding = refused) against
// `amtool check-config` run live: every file of the real-world corpus, and small configs of our
// own covering each rule both ways. Where upstream Alertmanager is newer than the amtool we run
// (0.25) and disagrees with it, upstream's expectation wins and the case is listed in SKEW.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFiles } from '../engine.js';

const corpus = join(import.meta.dirname, '../../../shared/corpus/alertmanager-testdata');

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(f) ? [p] : [];
  });

/** amtool's verdict per file, a few processes at a time (2 cores shared). */
async function amtool(files: string[]): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
      const ok = await promisify(execFile)('amtool', ['check-config', f]).then(
        () => true,
        () => false,
      );
      out.set(f, ok);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return out;
}

async function ours(files: { file: string; text: string }[]): Promise<Map<string, boolean>> {
  const r = await validateFiles(files);
  return new Map(files.map((f) => [f.file, !r.findings.some((x) => x.file === f.file && x.severity === 'error')]));
}

/**
 * Upstream's verdict where amtool 0.25 gives another: file → [upstream loads it, why].
 * conf.* verdicts come from expected.tsv; inline-* from the Go test they were taken from.
 */
const SKEW: Record<string, [boolean, string]> = {
  'conf.mattermost-default-webhook-url-file.yml': [true, 'mattermost receiver is newer than 0.25'],
  'conf.mattermost-default-webhook-url.yml': [true, 'mattermost receiver is newer than 0.25'],
  'conf.rocketchat-default-token-file.yml': [true, 'rocketchat receiver is newer than 0.25'],
  'conf.rocketchat-default-token.yml': [true, 'rocketchat receiver is newer than 0.25'],
  'conf.slack-default-app-token.yml': [true, 'slack app_token/app_url and global slack_app_token are newer than 0.25'],
  'conf.smtp-password-global-and-local.yml': [true, 'smtp_auth_secret_file/auth_secret_file are newer than 0.25'],
  'conf.telegram-default-bot-token-file.yml': [
    true,
    'global telegram_bot_token_file and bot_token_file are newer than 0.25',
  ],
  'conf.telegram-default-bot-token.yml': [true, 'global telegram_bot_token is newer than 0.25'],
  'conf.wechat-default-api-secret-file.yml': [true, 'wechat_api_secret_file/api_secret_file are newer than 0.25'],
  'inline-TestEventRecorderWebhookBatchingConfig.yml': [true, 'top-level event_recorder is newer than 0.25'],
  'inline-TestMSTeamsV2GlobalProxyInheritedWhenNoLocalHTTPConfig.yml': [true, 'msteamsv2 receiver is newer than 0.25'],
  'inline-TestMSTeamsV2GlobalProxyInheritedWhenPartialHTTPConfig.yml': [true, 'msteamsv2 receiver is newer than 0.25'],
  'inline-TestMSTeamsV2LocalProxyTakesPrecedence.yml': [true, 'msteamsv2 receiver is newer than 0.25'],
  'inline-TestReceiverLabelsAllowsHyphensAndUTF8.yml': [true, 'receiver labels are newer than 0.25'],
  'inline-TestReceiverLabelsNameMatchesExplicitly.yml': [true, 'receiver labels are newer than 0.25'],
  'inline-TestReceiverLabelsPreservesUserLabels.yml': [true, 'receiver labels are newer than 0.25'],
  'inline-TestRouteLabelsValidLabelName.yml': [true, 'route labels are newer than 0.25'],
  'examples/doc-examples-route_labels.yml': [true, 'route labels are newer than 0.25'],
  'examples/doc-examples-simple.yml': [true, 'top-level tracing is newer than 0.25'],
};

describe('agreement with amtool check-config', () => {
  const files = walk(corpus).sort();

  it('gives upstream verdict on every corpus file; amtool 0.25 differs only on the skew list', async () => {
    expect(files.length).toBeGreaterThanOrEqual(80);
    const tsv = new Map(
      readFileSync(join(corpus, 'expected.tsv'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t') as [string, string]),
    );
    const [am, us] = await Promise.all([
      amtool(files),
      ours(files.map((f) => ({ file: f, text: readFileSync(f, 'utf8') }))),
    ]);
    const problems: string[] = [];
    for (const f of files) {
      const rel = relative(corpus, f);
      const skew = SKEW[rel];
      const upstream = skew ? skew[0] : am.get(f)!;
      if (skew && am.get(f) === skew[0]) problems.push(`${rel}: listed as skew but amtool agrees with upstream`);
      const tsvVerdict = tsv.get(rel);
      if (tsvVerdict && (tsvVerdict === 'ok') !== upstream) problems.push(`${rel}: expected.tsv says ${tsvVerdict}`);
      if (us.get(f) !== upstream)
        problems.push(`${rel}: upstream ${upstream ? 'loads' : 'refuses'}, we say ${us.get(f) ? 'valid' : 'invalid'}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

const R = 'route:\n  receiver: r\nreceivers:\n- name: r\n';
const recv = (kind: string, body: string, global = '') =>
  `${global ? `global:\n${global}` : ''}route:\n  receiver: r\nreceivers:\n- name: r\n  ${kind}_configs:\n  - ${body.replace(/\n/g, '\n    ')}\n`;
const routeWith = (extra: string, defs = '') => `${defs}route:\n  receiver: r\n${extra}receivers:\n- name: r\n`;
const TI = 'time_intervals:\n- name: work\n  time_intervals:\n  - weekdays: [monday:friday]\n';
/** A config with one time interval whose spec is `spec` (one line of flow YAML). */
const interval = (spec: string) => `time_intervals:\n- name: t\n  time_intervals:\n  - ${spec}\n${R}`;
const webhook = (extra: string) => recv('webhook', `url: http://h.example/\n${extra}`);
const telegram = (extra: string) => recv('telegram', `bot_token: t\n${extra}`);
const childRoute = (extra: string) => routeWith(`  routes:\n  - receiver: r\n    ${extra}\n`);
const TIV = 'alertmanager/time-interval';
const FT = 'alertmanager/field-type';

/** Our own configs, one rule each, both ways: [name, config, the id a refused config reports]. */
const CASES: [string, string, string?][] = [
  ['root continue', routeWith('  continue: true\n'), 'alertmanager/root-route'],
  ['root continue false', routeWith('  continue: false\n')],
  ['root mute', routeWith('  mute_time_intervals: [work]\n', TI), 'alertmanager/root-route'],
  ['root active', routeWith('  active_time_intervals: [work]\n', TI), 'alertmanager/root-route'],
  ['child active', routeWith('  routes:\n  - receiver: r\n    active_time_intervals: [work]\n', TI)],
  [
    'child unknown interval',
    routeWith('  routes:\n  - receiver: r\n    mute_time_intervals: [play]\n', TI),
    'alertmanager/time-interval',
  ],
  ['root matchers', routeWith('  matchers: [a="b"]\n'), 'alertmanager/root-route'],
  ['root empty matchers', routeWith('  matchers: []\n')],
  ['no route', 'receivers:\n- name: r\n', 'alertmanager/root-route'],
  ['root no receiver', 'route:\n  group_by: [a]\nreceivers:\n- name: r\n', 'alertmanager/root-route'],
  ['group_by all and more', routeWith("  group_by: ['...', x]\n"), 'alertmanager/group-by'],
  ['group_by all', routeWith("  group_by: ['...']\n")],
  ['group_by duplicate', routeWith('  group_by: [a, b, a]\n'), 'alertmanager/group-by'],
  ['group_by invalid', routeWith('  group_by: [a-b]\n'), 'alertmanager/group-by'],
  [
    'duplicate interval',
    `${TI}mute_time_intervals:\n- name: work\n  time_intervals: []\n${R}`,
    'alertmanager/time-interval',
  ],
  [
    'interval bad time',
    `time_intervals:\n- name: t\n  time_intervals:\n  - times:\n    - start_time: '25:00'\n      end_time: '26:00'\n${R}`,
    'alertmanager/time-interval',
  ],
  [
    'interval reversed time',
    `time_intervals:\n- name: t\n  time_intervals:\n  - times:\n    - start_time: '17:00'\n      end_time: '09:00'\n${R}`,
    'alertmanager/time-interval',
  ],
  [
    'interval bad weekday',
    `time_intervals:\n- name: t\n  time_intervals:\n  - weekdays: [funday]\n${R}`,
    'alertmanager/time-interval',
  ],
  [
    'interval good',
    `time_intervals:\n- name: t\n  time_intervals:\n  - weekdays: ['Monday:friday', saturday]\n    days_of_month: ['1:5', '-3:-1']\n    months: ['january:march', '12']\n    years: ['2020:2030']\n    times:\n    - start_time: '09:00'\n      end_time: '24:00'\n${R}`,
  ],
  ['null match_re', routeWith('  routes:\n  - receiver: r\n    match_re:\n      a:\n'), 'alertmanager/matcher'],
  ['match_re', routeWith('  routes:\n  - receiver: r\n    match_re:\n      a: "b|c"\n')],
  ['bad match_re', routeWith('  routes:\n  - receiver: r\n    match_re:\n      a: "b("\n'), 'alertmanager/matcher'],
  ['match bad label', routeWith('  routes:\n  - receiver: r\n    match:\n      a-b: c\n'), 'alertmanager/matcher'],
  [
    'null source_match_re',
    `${R}inhibit_rules:\n- source_match_re:\n    a:\n  target_match:\n    b: c\n`,
    'alertmanager/matcher',
  ],
  [
    'null target_match_re',
    `${R}inhibit_rules:\n- target_match_re:\n    a:\n  source_match:\n    b: c\n`,
    'alertmanager/matcher',
  ],
  [
    'inhibit good',
    `${R}inhibit_rules:\n- source_matchers: ['a="b"', 'c=~"d|e"']\n  target_matchers: ['{x!="y", z!~"w"}']\n  equal: [cluster]\n`,
  ],
  ['inhibit bad equal', `${R}inhibit_rules:\n- source_matchers: [a=b]\n  equal: [a-b]\n`, 'alertmanager/label-name'],
  ['matcher bad regex', routeWith('  routes:\n  - receiver: r\n    matchers: [\'a=~"("\']\n'), 'alertmanager/matcher'],
  ['matcher bad format', routeWith("  routes:\n  - receiver: r\n    matchers: ['a']\n"), 'alertmanager/matcher'],
  [
    'matcher stray quote',
    routeWith('  routes:\n  - receiver: r\n    matchers: [\'a="b"c"\']\n'),
    'alertmanager/matcher',
  ],
  ['matcher unquoted', routeWith('  routes:\n  - receiver: r\n    matchers: [severity=critical, "team!~a|b"]\n')],
  [
    'global slack url and file',
    recv('slack', 'channel: x', '  slack_api_url: https://h.example/x\n  slack_api_url_file: /f\n'),
    'alertmanager/secret-and-file',
  ],
  [
    'global opsgenie key and file',
    recv('opsgenie', 'message: x', '  opsgenie_api_key: k\n  opsgenie_api_key_file: /f\n'),
    'alertmanager/secret-and-file',
  ],
  [
    'global victorops key and file',
    recv('victorops', 'routing_key: x', '  victorops_api_key: k\n  victorops_api_key_file: /f\n'),
    'alertmanager/secret-and-file',
  ],
  [
    'global smtp password and file',
    recv(
      'email',
      'to: a@b.c',
      '  smtp_smarthost: h:25\n  smtp_from: a@b.c\n  smtp_auth_password: p\n  smtp_auth_password_file: /f\n',
    ),
    'alertmanager/secret-and-file',
  ],
  [
    'slack url and file',
    recv('slack', 'api_url: https://h.example/x\napi_url_file: /f'),
    'alertmanager/secret-and-file',
  ],
  ['opsgenie key and file', recv('opsgenie', 'api_key: k\napi_key_file: /f'), 'alertmanager/secret-and-file'],
  [
    'victorops key and file',
    recv('victorops', 'api_key: k\napi_key_file: /f\nrouting_key: x'),
    'alertmanager/secret-and-file',
  ],
  ['pagerduty key and file', recv('pagerduty', 'routing_key: k\nrouting_key_file: /f'), 'alertmanager/secret-and-file'],
  [
    'pushover token and file',
    recv('pushover', 'user_key: u\ntoken: t\ntoken_file: /f'),
    'alertmanager/secret-and-file',
  ],
  ['webhook url and file', recv('webhook', 'url: https://h.example/x\nurl_file: /f'), 'alertmanager/secret-and-file'],
  [
    'basic_auth password and file',
    recv(
      'webhook',
      'url: https://h.example/x\nhttp_config:\n  basic_auth:\n    username: u\n    password: p\n    password_file: /f',
    ),
    'alertmanager/secret-and-file',
  ],
  [
    'two auth methods',
    recv('webhook', 'url: https://h.example/x\nhttp_config:\n  bearer_token: t\n  basic_auth:\n    username: u'),
    'alertmanager/secret-and-file',
  ],
  ['slack no url', recv('slack', 'channel: x'), 'alertmanager/missing-credentials'],
  ['slack global url', recv('slack', 'channel: x', '  slack_api_url: https://h.example/x\n')],
  ['slack global url file', recv('slack', 'channel: x', '  slack_api_url_file: /f\n')],
  ['opsgenie no key', recv('opsgenie', 'message: x'), 'alertmanager/missing-credentials'],
  ['opsgenie global key', recv('opsgenie', 'message: x', '  opsgenie_api_key: k\n')],
  ['victorops no key', recv('victorops', 'routing_key: x'), 'alertmanager/missing-credentials'],
  ['victorops key', recv('victorops', 'routing_key: x\napi_key: k')],
  ['victorops no routing key', recv('victorops', 'api_key: k'), 'alertmanager/integration'],
  ['wechat no secret', recv('wechat', 'corp_id: c'), 'alertmanager/missing-credentials'],
  ['wechat no corp id', recv('wechat', 'api_secret: s'), 'alertmanager/missing-credentials'],
  ['wechat good', recv('wechat', 'corp_id: c', '  wechat_api_secret: s\n')],
  ['wechat bad type', recv('wechat', 'corp_id: c\napi_secret: s\nmessage_type: html'), 'alertmanager/integration'],
  ['email no smarthost', recv('email', 'to: a@b.c\nfrom: a@b.c'), 'alertmanager/missing-credentials'],
  ['email no from', recv('email', 'to: a@b.c\nsmarthost: h:25'), 'alertmanager/missing-credentials'],
  ['email no to', recv('email', 'from: a@b.c\nsmarthost: h:25'), 'alertmanager/integration'],
  ['email good', recv('email', 'to: a@b.c', '  smtp_smarthost: h:25\n  smtp_from: a@b.c\n')],
  ['email smarthost no port', recv('email', 'to: a@b.c\nfrom: a@b.c\nsmarthost: localhost'), 'alertmanager/url'],
  [
    'global smarthost no port',
    recv('email', 'to: a@b.c\nfrom: a@b.c', '  smtp_smarthost: localhost\n'),
    'alertmanager/url',
  ],
  ['sns no target', recv('sns', 'subject: s'), 'alertmanager/missing-credentials'],
  ['sns two targets', recv('sns', 'topic_arn: t\nphone_number: "1"'), 'alertmanager/missing-credentials'],
  ['sns topic', recv('sns', 'topic_arn: t')],
  ['telegram no token', recv('telegram', 'chat_id: 1'), 'alertmanager/missing-credentials'],
  ['telegram good', recv('telegram', 'chat_id: 1\nbot_token: t\nparse_mode: MarkdownV2')],
  ['telegram no chat', recv('telegram', 'bot_token: t'), 'alertmanager/integration'],
  ['telegram bad parse mode', recv('telegram', 'chat_id: 1\nbot_token: t\nparse_mode: md'), 'alertmanager/integration'],
  ['pagerduty no key', recv('pagerduty', 'client: c'), 'alertmanager/missing-credentials'],
  ['pushover no user key', recv('pushover', 'token: t'), 'alertmanager/missing-credentials'],
  ['webhook no url', recv('webhook', 'max_alerts: 1'), 'alertmanager/missing-credentials'],
  ['webhook url not a url', recv('webhook', 'url: not a url'), 'alertmanager/url'],
  ['webhook url ftp', recv('webhook', 'url: ftp://h.example/x'), 'alertmanager/url'],
  ['webhook url no host', recv('webhook', 'url: "http:///x"'), 'alertmanager/url'],
  ['webhook url', recv('webhook', 'url: "http://h.example:8080/x?y=1"')],
  ['global url bad', recv('opsgenie', 'api_key: k', '  opsgenie_api_url: h.example/x\n'), 'alertmanager/url'],
  ['discord no url', recv('discord', 'title: t'), 'alertmanager/missing-credentials'],
  ['webex no room', recv('webex', 'http_config:\n  authorization:\n    credentials: c'), 'alertmanager/integration'],
  ['opsgenie responder', recv('opsgenie', 'api_key: k\nresponders:\n- type: team'), 'alertmanager/integration'],
  [
    'opsgenie responder type',
    recv('opsgenie', 'api_key: k\nresponders:\n- name: n\n  type: squad'),
    'alertmanager/integration',
  ],
  ['opsgenie responders', recv('opsgenie', 'api_key: k\nresponders:\n- name: n\n  type: Team')],
  [
    'slack action',
    recv('slack', 'api_url: https://h.example/x\nactions:\n- type: button\n  text: t'),
    'alertmanager/integration',
  ],
  ['empty slack entry', `${R}  slack_configs:\n  -\n`, 'alertmanager/integration'],
  ['undefined receiver', routeWith('  routes:\n  - receiver: nobody\n'), 'alertmanager/receiver'],
  ['duplicate receiver', `${R}- name: r\n`, 'alertmanager/receiver'],
  ['receiver without name', `${R}- email_configs: []\n`, 'alertmanager/receiver'],
  ['unknown route field', routeWith('  recevier: r\n'), 'alertmanager/unknown-field'],
  ['unknown slack field', recv('slack', 'api_url: https://h.example/x\nchanel: x'), 'alertmanager/unknown-field'],
  ['unknown top field', `${R}inhibit: []\n`, 'alertmanager/unknown-field'],
  ['receivers not a list', 'route:\n  receiver: r\nreceivers:\n  name: r\n', 'alertmanager/field-type'],
  ['group_wait bad', routeWith('  group_wait: 5 minutes\n'), 'alertmanager/duration'],
  ['repeat zero', routeWith('  repeat_interval: 0s\n'), 'alertmanager/duration'],
  ['group_wait zero', routeWith('  group_wait: 0s\n  group_interval: 1m\n  repeat_interval: 1h30m\n')],
  ['resolve_timeout bad', `global:\n  resolve_timeout: soon\n${R}`, 'alertmanager/duration'],
  [
    'anchors and merge keys',
    'x-defaults: &d\n  send_resolved: true\nroute:\n  receiver: r\nreceivers:\n- name: r\n  webhook_configs:\n  - <<: *d\n    url: http://h.example/\n',
    'alertmanager/unknown-field',
  ],
  // timeinterval.go's rules, as amtool 0.25 and upstream apply them, and no stricter.
  ['days negative start, positive end', interval("days_of_month: ['-1:5']"), TIV],
  ['days always empty (20:-10)', interval("days_of_month: ['20:-10']"), TIV],
  ['days always empty (5:-25)', interval("days_of_month: ['5:-25']"), TIV],
  ['days negative reversed', interval("days_of_month: ['-1:-3']"), TIV],
  ['days positive to negative', interval("days_of_month: ['5:-23', '-3:-1', 3]")],
  ['days signed', interval("days_of_month: ['+1:+5']")],
  ['days out of range', interval("days_of_month: ['0']"), TIV],
  ['days padded', interval("days_of_month: [' 1:5']"), TIV],
  ['days three parts', interval('days_of_month: [1:2:3]'), TIV],
  ['months any number', interval("months: ['13', '0', '12:13', '-5', '+3']")],
  ['months reversed numbers', interval("months: ['13:12']"), TIV],
  ['months reversed names', interval("months: ['march:January']"), TIV],
  ['months any case', interval("months: ['JANUARY:March']")],
  ['months padded', interval("months: [' january']"), TIV],
  ['weekday number', interval("weekdays: ['1']"), TIV],
  ['weekdays reversed', interval("weekdays: ['friday:monday']"), TIV],
  ['years negative', interval("years: ['-5', 2020]")],
  ['years reversed', interval("years: ['2030:2020']"), TIV],
  ['years padded', interval("years: [' 2020']"), TIV],
  ['time not HH:MM', interval("times: [{start_time: 0900, end_time: '10:00'}]"), TIV],
  ['location unknown', interval("location: 'Mars/Olympus'"), TIV],
  ['location wrong case', interval("location: 'europe/berlin'"), TIV],
  ['location upper case', interval("location: 'EUROPE/BERLIN'"), TIV],
  ['location utc lower case', interval("location: 'utc'"), TIV],
  ['location offset', interval("location: '+01:00'"), TIV],
  ['location no such Etc zone', interval("location: 'Etc/GMT+13'"), TIV],
  ['location removed from tzdata', interval("location: 'US/Pacific-New'"), TIV],
  ['location UTC', interval("location: 'UTC'")],
  ['location Local', interval("location: 'Local'")],
  ['location empty', interval("location: ''")],
  ['location zone', interval("location: 'Europe/Berlin'")],
  ['location link', interval("location: 'US/Eastern'")],
  ['location old name', interval("location: 'Asia/Calcutta'")],
  ['location posix tree', interval("location: 'posix/Europe/Berlin'")],
  // Booleans and integers as go-yaml v2 decodes them (YAML 1.1 plain scalars; a quoted one is a string).
  ['continue quoted', childRoute("continue: 'true'"), FT],
  ['continue a number', childRoute('continue: 1'), FT],
  ['continue yes', childRoute('continue: yes')],
  ['continue On', childRoute('continue: On')],
  ['continue tagged', childRoute("continue: !!bool 'true'")],
  ['root continue yes', routeWith('  continue: yes\n'), 'alertmanager/root-route'],
  ['root continue off', routeWith('  continue: off\n')],
  ['send_resolved quoted', webhook("send_resolved: 'false'"), FT],
  ['insecure_skip_verify quoted', webhook("http_config:\n  tls_config:\n    insecure_skip_verify: 'true'"), FT],
  ['follow_redirects quoted', webhook("http_config:\n  follow_redirects: 'no'"), FT],
  [
    'slack field short quoted',
    recv('slack', "api_url: http://h.example/\nfields: [{title: a, value: b, short: 'true'}]"),
    FT,
  ],
  ['slack link_names quoted', recv('slack', "api_url: http://h.example/\nlink_names: 'yes'"), FT],
  ['email require_tls quoted', recv('email', "to: a@b.c\nfrom: a@b.c\nsmarthost: 'h:25'\nrequire_tls: 'true'"), FT],
  ['global smtp_require_tls quoted', `global:\n  smtp_require_tls: "true"\n${R}`, FT],
  ['opsgenie update_alerts quoted', recv('opsgenie', "api_key: k\nupdate_alerts: 'true'"), FT],
  ['pushover html quoted', recv('pushover', "user_key: u\ntoken: t\nhtml: 'true'"), FT],
  ['telegram disable_notifications quoted', telegram("chat_id: 1\ndisable_notifications: 'true'"), FT],
  ['telegram chat_id quoted', telegram("chat_id: '-100123'"), FT],
  ['telegram chat_id', telegram('chat_id: -100123')],
  ['telegram chat_id float', telegram('chat_id: 1.5')],
  ['telegram chat_id hex', telegram('chat_id: -0x10')],
  ['telegram chat_id truncated to 0', telegram('chat_id: 0.5'), 'alertmanager/integration'],
  ['telegram chat_id beyond int64', telegram('chat_id: 12345678901234567890'), FT],
  ['max_alerts quoted', webhook("max_alerts: '3'"), FT],
  ['max_alerts negative', webhook('max_alerts: -1'), FT],
  ['max_alerts infinite', webhook('max_alerts: .inf'), FT],
  ['max_alerts YAML 1.1 integers', webhook('max_alerts: 0x10')],
  ['max_alerts underscores', webhook('max_alerts: 1_0')],
  ['max_alerts octal', webhook('max_alerts: 017')],
  ['max_alerts exponent', webhook('max_alerts: 1e3')],
  // prometheus/common's TLS versions.
  ['tls min_version unknown', webhook('http_config:\n  tls_config:\n    min_version: TLS14'), FT],
  ['tls min_version lower case', webhook('http_config:\n  tls_config:\n    min_version: tls12'), FT],
  ['tls min_version empty', webhook("http_config:\n  tls_config:\n    min_version: ''"), FT],
  ['tls min_version number', webhook('http_config:\n  tls_config:\n    min_version: 13'), FT],
  ['tls versions', webhook('http_config:\n  tls_config:\n    min_version: TLS10\n    max_version: TLS13')],
  [
    'email tls unknown',
    recv('email', "to: a@b.c\nfrom: a@b.c\nsmarthost: 'h:25'\ntls_config: {min_version: TLS14}"),
    FT,
  ],
  ['global smtp tls unknown', `global:\n  smtp_tls_config: {min_version: TLS9}\n${R}`, FT],
  // Regexes go through re2.ts: unknown Unicode classes are refused there.
  ['matcher unknown class', childRoute('matchers: [\'a=~"\\\\p{Foo}"\']'), 'alertmanager/matcher'],
  ['match_re unknown class', childRoute("match_re: {a: '\\p{Foo}'}"), 'alertmanager/matcher'],
  ['matcher Unicode class', childRoute('matchers: [\'a=~"\\\\p{Greek}+"\']')],
  ['match_re Unicode class', childRoute("match_re: {a: '\\pL+'}")],
  [
    'merge keys',
    'route:\n  receiver: r\nreceivers:\n- name: r\n  webhook_configs:\n  - &w\n    url: http://h.example/\n    send_resolved: true\n- name: s\n  webhook_configs:\n  - <<: *w\n    max_alerts: 3\n',
  ],
];

describe('our own configs, checked by amtool too', () => {
  it('agrees with amtool on the repository fixtures', async () => {
    const files = walk(join(import.meta.dirname, '../../test/fixtures/alertmanager'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const [am, us] = await Promise.all([
      amtool(files),
      ours(files.map((f) => ({ file: f, text: readFileSync(f, 'utf8') }))),
    ]);
    expect(files.filter((f) => am.get(f) !== us.get(f))).toEqual([]);
  });

  const dir = mkdtempSync(join(tmpdir(), 'am-cases-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees with amtool on every case and reports the rule', async () => {
    const inputs = CASES.map(([name, text], i) => ({ file: join(dir, `${i}-${name.replace(/\W+/g, '-')}.yml`), text }));
    for (const f of inputs) writeFileSync(f.file, f.text);
    const r = await validateFiles(inputs);
    const am = await amtool(inputs.map((f) => f.file));
    const problems: string[] = [];
    CASES.forEach(([name, , id], i) => {
      const file = inputs[i]!.file;
      const errors = r.findings.filter((x) => x.file === file && x.severity === 'error');
      if (am.get(file) !== !id) problems.push(`${name}: amtool ${am.get(file) ? 'loads' : 'refuses'} it`);
      if (id && !errors.some((e) => e.id === id && e.position))
        problems.push(`${name}: no positioned ${id} (got ${errors.map((e) => e.id).join(', ') || 'nothing'})`);
      if (!id && errors.length)
        problems.push(`${name}: false errors ${errors.map((e) => `${e.id}: ${e.message}`).join('; ')}`);
    });
    expect(problems).toEqual([]);
  }, 120_000);

  it('never puts a secret into a message', async () => {
    const text = recv(
      'slack',
      'api_url: "hxxp://SECRET-hook/x"\napi_url_file: /f',
      '  opsgenie_api_key: SECRET1\n  opsgenie_api_key_file: /f\n',
    );
    const r = await validateFiles([{ file: 'am.yml', text }]);
    expect(r.findings.length).toBeGreaterThan(1);
    for (const f of r.findings) expect(f.message).not.toMatch(/SECRET/);
  });
});
