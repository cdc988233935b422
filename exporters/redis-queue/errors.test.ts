import { describe, expect, it } from 'vitest';
import { DeadlineError, isWrongType, NotConnectedError, scrapeErrorReason, WRONGTYPE } from './errors.js';

describe('scrapeErrorReason', () => {
  it('classifies failed collections for the reason label', () => {
    expect(scrapeErrorReason(new DeadlineError(100))).toBe('timeout');
    expect(scrapeErrorReason(new Error('WRONGPASS invalid username-password pair'))).toBe('auth');
    expect(scrapeErrorReason(new Error('NOAUTH Authentication required.'))).toBe('auth');
    expect(scrapeErrorReason(new Error("NOPERM this user has no permissions to run the 'info' command"))).toBe('auth');
    // A connection refused for a wrong password is an auth problem, not a connection one.
    expect(scrapeErrorReason(new NotConnectedError('Redis is not connected (reconnecting): WRONGPASS x'))).toBe('auth');
    expect(scrapeErrorReason(new NotConnectedError('Redis is not connected (reconnecting)'))).toBe('connection');
    expect(scrapeErrorReason(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe('connection');
    expect(scrapeErrorReason(new Error('Connection is closed.'))).toBe('connection');
    expect(scrapeErrorReason(new Error('ERR unknown command'))).toBe('command');
  });
  it('recognises WRONGTYPE replies', () => {
    expect(isWrongType(WRONGTYPE)).toBe(true);
    expect(isWrongType(new Error('ERR no such key'))).toBe(false);
  });
});
