/**
 * Before loading: each target must answer GET / (a dead URL is one clear line, not thousands of
 * ECONNREFUSED), and the vote page there names the options (its `<button name="option" value=…>`),
 * so a deployment started with other --options is loaded with its own.
 */
const BUTTON = /<button name="option" value="([A-Za-z0-9_-]{1,64})"/g;

/** The options the page at `url` offers (empty when it shows none). @throws Error when it does not answer 2xx. */
export async function probeTarget(url: string, timeoutMs: number): Promise<string[]> {
  let res: Response;
  try {
    res = await fetch(`${url}/`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (e) {
    // fetch's own message is "fetch failed"; the reason is in its cause (for `localhost`, tried on
    // ::1 and 127.0.0.1, an AggregateError holding one error per address).
    const cause = (e as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
    const why = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (e as Error).message;
    throw new Error(`${url} does not answer GET /: ${why}`);
  }
  const page = await res.text();
  if (!res.ok) throw new Error(`${url} answers GET / with HTTP ${res.status}`);
  return [...page.matchAll(BUTTON)].map((m) => m[1]!);
}
