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
  it('masks credentials of URLs that do not parse, whole', () => {
    expect(redactUrl('redis://user:pa@ss:w0rd@:1')).toBe('redis://user:***@:1');
    expect(redactUrl('postgres://h:bad/db?password=s3cretQ&x=1')).toBe('postgres://h:bad/db?password=***&x=1');
    expect(redactUrl('u:s3cret@h:bad')).toBe('u:***@h:bad');
    expect(maskUrls('invalid Redis address "u:s3cret@h:bad": expected host:port')).toBe(
      'invalid Redis address "u:***@h:bad": expected host:port',
    );
    // Not credentials: left as they are.
    expect(maskUrls('error: connect ECONNREFUSED 127.0.0.1:6379')).toBe('error: connect ECONNREFUSED 127.0.0.1:6379');
    expect(maskUrls('redis://[user[:password]@]host[:port][/db]')).toBe('redis://[user[:password]@]host[:port][/db]');
  });
});
