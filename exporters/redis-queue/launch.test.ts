/**
 * The exporter's node flags (its bin's shebang) are how it keeps to its memory budget: every other
 * way this repository starts it must pass the same flags, or the exporter deployed is not the one
 * benchmarked.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(resolve(root, f), 'utf8');
const MAIN = 'exporters/redis-queue/build/redis-queue-exporter.js';

const shebang = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)+)$/.exec(
  read('exporters/redis-queue/main.ts').split('\n', 1)[0]!,
);
const flags = shebang ? shebang[1]!.trim().split(' ') : undefined;

describe('exporter launchers', () => {
  it('the bin runs node with flags', () => {
    expect(flags).toEqual(expect.arrayContaining([expect.stringMatching(/^--/)]));
  });

  it('npm scripts pass the shebang flags', () => {
    const start = JSON.parse(read('exporters/redis-queue/package.json')).scripts.start as string;
    expect(start).toBe(`node ${flags!.join(' ')} build/redis-queue-exporter.js`);
    const root = JSON.parse(read('package.json')).scripts.exporter as string;
    expect(root).toContain(`node ${flags!.join(' ')} ${MAIN}`);
  });

  it('the bin is the bundle, which keeps the shebang', () => {
    const pkg = JSON.parse(read('exporters/redis-queue/package.json')) as { bin: Record<string, string> };
    expect(`exporters/redis-queue/${pkg.bin['redis-queue-exporter']!.replace(/^\.\//, '')}`).toBe(MAIN);
    // `npm test` compiles (and bundles) before vitest runs.
    expect(read(MAIN).split('\n', 1)[0]).toBe(read('exporters/redis-queue/main.ts').split('\n', 1)[0]);
    // Executable in a clone, so the shebang (and its flags) is what runs it.
    expect(statSync(resolve(root, MAIN)).mode & 0o111).not.toBe(0);
    // main.ts warns when started without the flag the budget depends on.
    expect(flags).toContain('--optimize-for-size');
  });

  it('docker compose passes them to the image entry point (node)', () => {
    const service = read('docker-compose.yml').split(/\n {2}redis-queue-exporter:\n/)[1]!;
    const command = /^ {4}command: (\[.*\])$/m.exec(service)?.[1];
    expect(command && JSON.parse(command.replace(/'/g, '"'))).toEqual([...flags!, MAIN]);
  });

  it('the demo stack passes them', () => {
    const stack = read('scripts/dev/stack/stack.ts');
    const args = stack.slice(stack.indexOf("name: 'exporter'"), stack.indexOf(MAIN));
    for (const f of flags!) expect(args).toContain(`'${f}'`);
  });
});
