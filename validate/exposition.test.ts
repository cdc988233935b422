import { describe, expect, it } from 'vitest';
import { parseExposition } from './exposition.js';

describe('parseExposition', () => {
  it("knows a histogram's series from its TYPE line, before any sample exists (a service that served nothing yet)", () => {
    const { names, kinds } = parseExposition(
      [
        '# HELP http_request_duration_seconds latency',
        '# TYPE http_request_duration_seconds histogram',
        '# TYPE rpc_seconds summary',
        '# TYPE votes_total counter',
        'votes_total{option="cats"} 0',
      ].join('\n'),
    );
    for (const n of [
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_sum',
      'rpc_seconds_count',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
    expect(names.has('rpc_seconds_bucket')).toBe(false);
    expect(kinds.get('votes_total')).toBe('counter');
    expect(kinds.get('http_request_duration_seconds_count')).toBe('counter');
  });
});
