/** Redis glob patterns (SCAN MATCH syntax), for deciding what is a pattern and matching keys locally. */

/** A queue key is a SCAN pattern when it has an unescaped `*`, `?` or `[` (as config/mixin-config.ts documents). */
export function isPattern(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** The RegExp equivalent of a Redis glob (`*`, `?`, `[a-z]`, `[^x]`, `\` escapes). */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) re += escapeRegExp(glob[++i]!);
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('^')) body = `^${body.slice(1).replace(/[\\\]]/g, '\\$&')}`;
        else body = body.replace(/[\\\]^]/g, '\\$&');
        re += `[${body}]`;
        i = end;
      }
    } else re += escapeRegExp(c);
  }
  return new RegExp(`${re}$`);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
