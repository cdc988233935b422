/** The voting page: two buttons and the voter's current choice (from the `vote` cookie). */
const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function votePage(options: readonly string[], current: string | undefined): string {
  const buttons = options
    .map(
      (o) =>
        `<button name="option" value="${escapeHtml(o)}"${o === current ? ' class="chosen"' : ''}>${escapeHtml(o)}</button>`,
    )
    .join('\n      ');
  const choice = current
    ? `<p id="choice">You voted for <b>${escapeHtml(current)}</b>.</p>`
    : '<p id="choice">You have not voted yet.</p>';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${options.map(escapeHtml).join(' vs ')}</title>
<style>body{font-family:sans-serif;text-align:center;margin-top:4em}button{font-size:2em;margin:.5em;padding:.5em 1em}.chosen{outline:4px solid #3a3}</style>
</head>
<body>
  <h1>${options.map(escapeHtml).join(' vs ')}</h1>
  <form method="post" action="/vote">
      ${buttons}
  </form>
  ${choice}
  <p><a href="/results">results</a></p>
</body>
</html>
`;
}
