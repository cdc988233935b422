/**
 * The live results page: server-rendered (readable without JavaScript, no external assets), then
 * kept current by a small inline script listening to GET /results/stream. The script writes
 * numbers with textContent only, never HTML, so nothing from the stream is ever parsed as markup.
 */
import type { Results } from './results.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `0.4567` → `45.7%`, as the page and its script both show it. */
export const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

// Option names are 1-64 of [A-Za-z0-9_-] (checked at start-up), so they are safe in a data attribute
// and in JSON keys; they are escaped anyway.
const SCRIPT = `(function () {
  if (!window.EventSource) return;
  var status = document.getElementById('status');
  var es = new EventSource('results/stream');
  es.addEventListener('results', function (e) {
    var r = JSON.parse(e.data);
    var rows = document.querySelectorAll('[data-option]');
    for (var i = 0; i < rows.length; i++) {
      var o = rows[i].getAttribute('data-option');
      var n = r.options[o] || 0, s = r.shares[o] || 0;
      rows[i].querySelector('.n').textContent = String(n);
      rows[i].querySelector('.share').textContent = (s * 100).toFixed(1) + '%';
      rows[i].querySelector('.fill').style.width = (s * 100).toFixed(1) + '%';
    }
    document.getElementById('total').textContent = String(r.total);
    status.textContent = 'live, updated ' + new Date().toLocaleTimeString();
  });
  es.addEventListener('unavailable', function () { status.textContent = 'results unavailable, retrying…'; });
  es.onerror = function () { status.textContent = 'connection lost, retrying…'; };
})();`;

/** The whole page; `results` undefined when PostgreSQL did not answer (the script fills it in later). */
export function resultsPage(options: readonly string[], results: Results | undefined): string {
  const title = options.map(escapeHtml).join(' vs ');
  const rows = options
    .map((o) => {
      const n = results?.options[o] ?? 0;
      const share = percent(results?.shares[o] ?? 0);
      return `<tr data-option="${escapeHtml(o)}"><th>${escapeHtml(o)}</th><td class="n">${results ? n : '–'}</td><td class="share">${results ? share : '–'}</td><td class="bar"><span class="fill" style="width:${results ? share : '0%'}"></span></td></tr>`;
    })
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Results: ${title}</title>
<style>body{font-family:sans-serif;margin:4em auto;max-width:40em}table{width:100%;border-collapse:collapse}th,td{padding:.4em;text-align:left}td.n,td.share{text-align:right;width:5em}td.bar{width:50%}.fill{display:block;height:1.2em;background:#3a3}#status{color:#666}</style>
</head>
<body>
  <h1>Results: ${title}</h1>
  <table>
    <thead><tr><th>option</th><th>votes</th><th>share</th><th></th></tr></thead>
    <tbody>
      ${rows}
    </tbody>
    <tfoot><tr><th>total</th><td class="n" id="total">${results ? results.total : '–'}</td><td></td><td></td></tr></tfoot>
  </table>
  <p id="status">${results ? 'as of page load' : 'results unavailable right now; this page retries'}</p>
  <script>${SCRIPT}</script>
</body>
</html>
`;
}
