/**
 * The generated runbooks (dist/runbooks/<Alert>.md) served as HTML, so an alert's runbook_url opens
 * a readable page in the demo and Compose stacks. The markdown is our own generator's: headings,
 * paragraphs, tables, bullet lists, block quotes, fenced code and bare URLs — a small renderer
 * covers it without a dependency. Everything from the file is escaped; names are checked before
 * any path is built, so `..` or an encoded slash never leaves the folder.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const RUNBOOKS_PATH = '/runbooks/';

/** An alert name as the mixin writes them: PascalCase letters and digits. */
const ALERT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Inline: `code` spans and http(s) URLs; the rest is escaped text. */
function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.length > 1 && part.startsWith('`') && part.endsWith('`'))
        return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return part
        .split(/(https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:)])/)
        .map((t, i) => (i % 2 ? `<a href="${escapeHtml(t)}">${escapeHtml(t)}</a>` : escapeHtml(t)))
        .join('');
    })
    .join('');
}

const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/** The runbook markdown as an HTML fragment. */
export function markdownToHtml(md: string): string {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  const take = (pred: (l: string) => boolean): string[] => {
    const block: string[] = [];
    while (i < lines.length && pred(lines[i]!)) block.push(lines[i++]!);
    return block;
  };
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence) {
      i++;
      const code = take((l) => !/^```\s*$/.test(l));
      i++; // the closing fence (or the end of the file)
      const lang = fence[1] ? ` class="language-${escapeHtml(fence[1])}"` : '';
      out.push(`<pre><code${lang}>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const n = heading[1]!.length;
      out.push(`<h${n}>${inline(heading[2]!)}</h${n}>`);
      i++;
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('|')) {
      const rows = take((l) => l.startsWith('|'));
      const sep = rows.length > 1 && /^\|?[\s:|-]+\|?$/.test(rows[1]!);
      const head = sep ? rows[0]! : undefined;
      const body = sep ? rows.slice(2) : rows;
      out.push(
        '<table>',
        ...(head
          ? [
              `<thead><tr>${cells(head)
                .map((c) => `<th>${inline(c)}</th>`)
                .join('')}</tr></thead>`,
            ]
          : []),
        '<tbody>',
        ...body.map(
          (r) =>
            `<tr>${cells(r)
              .map((c) => `<td>${inline(c)}</td>`)
              .join('')}</tr>`,
        ),
        '</tbody></table>',
      );
      continue;
    }
    if (/^[-*]\s/.test(line)) {
      const items = take((l) => /^[-*]\s/.test(l));
      out.push(`<ul>${items.map((l) => `<li>${inline(l.replace(/^[-*]\s+/, ''))}</li>`).join('')}</ul>`);
      continue;
    }
    if (line.startsWith('>')) {
      const quoted = take((l) => l.startsWith('>')).map((l) => l.replace(/^>\s?/, ''));
      const paras = quoted
        .join('\n')
        .split(/\n\s*\n/)
        .filter((p) => p.trim());
      out.push(`<blockquote>${paras.map((p) => `<p>${inline(p)}</p>`).join('')}</blockquote>`);
      continue;
    }
    const para = take((l) => l.trim() !== '' && !/^(#{1,6}\s|```|\||[-*]\s|>)/.test(l));
    out.push(`<p>${inline(para.join('\n'))}</p>`);
  }
  return out.join('\n');
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}' +
  'pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}code{font-family:ui-monospace,monospace}' +
  'table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}' +
  'blockquote{border-left:4px solid #ccc;margin-left:0;padding-left:1rem;color:#555}';

export function htmlPage(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

export interface RunbookResponse {
  status: number;
  contentType: string;
  body: string;
}

const notFound = (what: string): RunbookResponse => ({
  status: 404,
  contentType: 'text/plain; charset=utf-8',
  body: `no runbook ${what}\n`,
});

/**
 * The answer to `GET <pathname>` under /runbooks/ from `dir`: the index, a runbook (`/runbooks/X`
 * or `/runbooks/X.md`) as HTML, or 404. `pathname` is the URL's, still percent-encoded.
 */
export async function serveRunbook(dir: string, pathname: string): Promise<RunbookResponse> {
  const rest = pathname.slice(RUNBOOKS_PATH.length);
  if (rest === '') {
    const names = (await readdir(dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.md') && ALERT_NAME.test(f.slice(0, -3)))
      .map((f) => f.slice(0, -3))
      .sort();
    const list = names.map((n) => `<li><a href="${escapeHtml(n)}.md">${escapeHtml(n)}</a></li>`).join('');
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: htmlPage('Runbooks', `<h1>Runbooks</h1>\n<ul>${list}</ul>`),
    };
  }
  let name: string;
  try {
    name = decodeURIComponent(rest).replace(/\.md$/, '');
  } catch {
    return notFound('(bad escape)');
  }
  if (!ALERT_NAME.test(name)) return notFound(JSON.stringify(name.slice(0, 100)));
  let md: string;
  try {
    md = await readFile(join(dir, `${name}.md`), 'utf8');
  } catch {
    return notFound(`for ${name}`);
  }
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: htmlPage(`${name} runbook`, `${markdownToHtml(md)}\n<p><a href="./">All runbooks</a></p>`),
  };
}
