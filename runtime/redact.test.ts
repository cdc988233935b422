import { describe, expect, it } from 'vitest';
import { maskUrls, redactSecrets, redactUrl } from './redact.js';

describe('redaction', () => {
  it('hides URL passwords and keeps what is not secret', () => {
    expect(redactUrl('redis://user:s3cret@host:6379/0')).toBe('redis://user:***@host:6379/0');
    expect(redactUrl('postgres://postgres@127.0.0.1/voting')).toBe('postgres://postgres@127.0.0.1/voting');
    expect(redactUrl('redis://:pw@h:6379')).toBe('redis://:***@h:6379');
  });
  it('hides an http token user and credential query parameters', () => {
    expect(redactUrl('http://tok@h:1/')).toBe('http://***@h:1/');
    expect(redactUrl('https://h/api?api_key=k&x=1&token=t')).toBe('https://h/api?api_key=***&x=1&token=***');
  });
  it('masks URLs inside free text and every given secret, raw and URL-encoded', () => {
    expect(maskUrls('failed for redis://a:b@c:1 and x')).toBe('failed for redis://a:***@c:1 and x');
    expect(redactSecrets('WRONGPASS p@ss / p%40ss at redis://u:p%40ss@h', ['p@ss'])).toBe(
      'WRONGPASS *** / *** at redis://u:***@h',
    );
    expect(redactUrl('not a url with //u:p@x')).toBe('not a url with //u:***@x');
  });
});
