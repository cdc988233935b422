/**
 * The real tools' verdicts, run live: `promtool check rules` (one run over many files) and
 * `amtool check-config`. Tests compare validate's verdicts with these, never with our own idea.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Verdict {
  ok: boolean;
  /** What the tool printed about the file (its first complaint when refused). */
  message: string;
}

/**
 * One promtool run over all files. stdout has `Checking FILE` then `SUCCESS` for files that pass;
 * stderr has one `FAILED:` block per other file, in the same order. A block that is only a lint
 * error (duplicate rules) does not fail the file: promtool exits 0 for it without --lint-fatal.
 */
export async function promtoolCheckRules(files: readonly string[], cwd?: string): Promise<Map<string, Verdict>> {
  const { stdout, stderr } = await run('promtool', ['check', 'rules', ...files], {
    ...(cwd ? { cwd } : {}),
    maxBuffer: 1 << 26,
  }).catch((e: { stdout: string; stderr: string }) => e);
  const blocks = stderr.split(/^\s*FAILED:\n/m).slice(1);
  const verdicts = new Map<string, Verdict>();
  for (const section of stdout.split(/^Checking /m).slice(1)) {
    const file = section.split('\n')[0]!;
    if (/^\s*SUCCESS/m.test(section)) verdicts.set(file, { ok: true, message: '' });
    else {
      const block = (blocks.shift() ?? '').trim();
      verdicts.set(file, { ok: block.startsWith('lint error'), message: block.split('\n')[0] ?? '' });
    }
  }
  return verdicts;
}

/** `amtool check-config FILE`: exit 0 = Alertmanager 0.25 loads it. */
export async function amtoolCheckConfig(file: string): Promise<Verdict> {
  try {
    await run('amtool', ['check-config', file], { maxBuffer: 1 << 24 });
    return { ok: true, message: '' };
  } catch (e) {
    const out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    const failed = out.split('\n').find((l) => /FAILED|error|err=/i.test(l)) ?? out.trim().split('\n')[0] ?? '';
    return { ok: false, message: failed.trim() };
  }
}

/** Runs `fn` over `items` with at most `limit` at once (2 cores: the tools are processes). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
