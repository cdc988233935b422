import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/index.js';
import { captureIO } from './capture-io.js';
import { errorPct, loadMain } from './main.js';

const io = captureIO;

describe('npm run load: usage', () => {
  it('--help prints the usage, the scenarios and the exit codes, exit 0', async () => {
    const c = io();
    expect(await loadMain(['--help'], c)).toBe(0);
    expect(c.out).toMatch(/^Usage: npm run load -- --scenario normal\|flash --url/);
    expect(c.out).toContain('normal (50 users) or flash (300 users)');
    expect(c.out).toContain('--max-error-pct PCT');
    expect(c.out).toContain('Exit codes:');
    expect(c.err).toBe('');
  });

  it.each([
    [[], '--scenario is required: normal or flash'],
    [['--scenario', 'flash'], '--url is required'],
    [['--scenario', 'rush', '--url', 'http://h'], '--scenario: "rush" is not one of normal, flash'],
    [['--scenario', 'normal', '--url', 'localhost:8080'], '--url: "localhost:8080" must be http:// or https://'],
    [['--scenario', 'normal', '--url', 'nope'], '--url: "nope" is not a URL'],
    [['--scenario', 'normal', '--url', 'http://h/vote'], "must be the service's root"],
    [['--scenario', 'normal', '--url', 'http://h', '--duration', '0s'], '--duration: "0s" is not a duration'],
    [['--scenario', 'normal', '--url', 'http://h', '--users', '0'], '--users: "0" is not a whole number'],
    [['--scenario', 'normal', '--url', 'http://h', '--max-error-pct', '101'], '--max-error-pct: "101"'],
    [['--scenario', 'normal', '--url', 'http://h', '--voter', 'x'], 'unknown option --voter'],
    [['--scenario', 'normal', '--url', 'http://h', '--options', ','], '--options needs at least one option'],
  ])('%j is a usage error: one line, exit 2', async (argv, message) => {
    const c = io();
    expect(await loadMain(argv, c)).toBe(2);
    expect(c.err).toContain(message);
    expect(c.err.split('\n')[0]).toMatch(/^load: /);
    expect(c.err).toMatch(/\nRun with --help for usage\.\n$/);
    expect(c.out).toBe('');
  });

  it('a URL that does not answer stops before the load: exit 1, one line naming it', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const c = io();
    expect(await loadMain(['--scenario', 'normal', '--url', url, '--duration', '1s'], c)).toBe(1);
    expect(c.err).toContain(`load: ${url} does not answer GET /: ECONNREFUSED`);
    expect(c.out).toBe('');
  });

  it('names the reason a host name does not answer (localhost is tried on ::1 and 127.0.0.1)', async () => {
    const url = `http://localhost:${await freePort()}`;
    const c = io();
    expect(await loadMain(['--scenario', 'normal', '--url', url, '--duration', '1s'], c)).toBe(1);
    expect(c.err).toContain(`load: ${url} does not answer GET /: ECONNREFUSED`);
  });

  describe('a page that is not the vote page', () => {
    const pages: Server[] = [];
    afterAll(() => Promise.all(pages.map((p) => new Promise((r) => p.close(r)))));
    async function page(html: string): Promise<string> {
      const server = createServer((req, res) =>
        req.method === 'GET'
          ? res.writeHead(200, { 'content-type': 'text/html' }).end(html)
          : res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}'),
      );
      pages.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    it('without vote buttons stops before the load: exit 1, naming it', async () => {
      const url = await page('<h1>Results</h1>');
      const c = io();
      expect(await loadMain(['--scenario', 'normal', '--url', url, '--duration', '1s'], c)).toBe(1);
      expect(c.err).toContain(`load: ${url}/ shows no vote options: is it the vote service?`);
      expect(c.out).toBe('');
    });

    it('--options the page does not offer are said before the load (their votes will be refused)', async () => {
      const url = await page(
        '<button name="option" value="cats">Cats</button><button name="option" value="dogs">Dogs</button>',
      );
      const c = io();
      // This page's server answers POST /vote with 404: nothing is accepted.
      const argv = [
        '--scenario',
        'normal',
        '--url',
        url,
        '--options',
        'cats,birds',
        '--duration',
        '1s',
        '--users',
        '1',
      ];
      expect(await loadMain(argv, c)).toBe(1);
      expect(c.err).toContain(
        `load: warning: --options birds not offered by ${url}/ (it offers cats, dogs): those votes will be refused`,
      );
    });
  });

  it('the error share counts answers of any status and requests that got none', () => {
    const s = { seconds: 1, users: 1, accepted: 90, p50: 1, p95: 1, p99: 1, max: 1 };
    expect(errorPct({ ...s, attempts: 100, errorCount: 10, errors: { 'HTTP 503': 5, ECONNRESET: 5 } })).toBe(10);
    expect(errorPct({ ...s, attempts: 0, errorCount: 0, errors: {} })).toBe(100);
  });
});
