/**
 * Key names as label values and back. A Redis key is any bytes; a Prometheus label value must be
 * valid UTF-8 (one invalid value fails the whole scrape), and ioredis decodes replies as UTF-8, so a
 * name that is not valid UTF-8 (bytes 0xff 0xfe) came back mangled (U+FFFD), and commands on the
 * mangled name read a key that does not exist: the queue vanished with no error.
 *
 * The `key` label is therefore the name escaped, Go-like and unambiguous:
 * - every byte that is not part of a valid UTF-8 sequence is written `\xHH` (two lowercase hex digits);
 * - a backslash is written `\\` (so a key literally named `a\xff` reads `a\\xff`);
 * - everything else, valid UTF-8 included, is the name as it is.
 * The escaping is one-to-one, so the label is also the exporter's identity of a key (type cache,
 * logs), and `keyName` gives the exact bytes back for the commands. Names without a backslash or an
 * invalid byte (the normal case) are their own label: no copy, no Buffer.
 */
import { isUtf8 } from 'node:buffer';

/** What a command takes as a key: the name itself, or its bytes when it is not valid UTF-8. */
export type KeyName = string | Buffer;

const HEX = '0123456789abcdef';

/** The label of a valid UTF-8 name: itself, with `\` doubled. */
export function labelOf(name: string): string {
  return name.indexOf('\\') === -1 ? name : name.replaceAll('\\', '\\\\');
}

/** The label of a name as SCAN returned it (bytes). */
export function labelOfBytes(b: Buffer): string {
  const s = b.toString();
  // U+FFFD is what decoding made of an invalid byte (or a real U+FFFD: isUtf8 tells).
  if (s.indexOf('\uFFFD') === -1 || isUtf8(b)) return labelOf(s);
  return escapeBytes(b);
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), 0 when there is none. */
function sequenceAt(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => j < b.length && b[j]! >= lo && b[j]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    // E0: no overlong forms; ED: no surrogates.
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    // F0: no overlong forms; F4: nothing past U+10FFFF.
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

function escapeBytes(b: Buffer): string {
  let out = '';
  let run = 0; // start of the pending run of valid bytes
  for (let i = 0; i < b.length; ) {
    const n = sequenceAt(b, i);
    if (n > 0 && b[i] !== 0x5c) {
      i += n;
      continue;
    }
    out += b.toString('utf8', run, i);
    const c = b[i]!;
    out += c === 0x5c ? '\\\\' : `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
    run = ++i;
  }
  return out + b.toString('utf8', run, b.length);
}

/**
 * The key a label stands for, for commands: the label itself when it has no escape, else its bytes.
 * @throws Error on a label no key name escapes to (a lone `\` or a bad `\x`)
 */
export function keyName(label: string): KeyName {
  if (label.indexOf('\\') === -1) return label;
  const bytes: number[] = [];
  for (let i = 0; i < label.length; ) {
    if (label.charCodeAt(i) !== 92) {
      // A run of plain text up to the next backslash, as UTF-8.
      let end = label.indexOf('\\', i);
      if (end === -1) end = label.length;
      for (const x of Buffer.from(label.slice(i, end))) bytes.push(x);
      i = end;
    } else if (label[i + 1] === '\\') {
      bytes.push(92);
      i += 2;
    } else if (label[i + 1] === 'x' && /^[0-9a-f]{2}$/.test(label.slice(i + 2, i + 4))) {
      bytes.push(Number.parseInt(label.slice(i + 2, i + 4), 16));
      i += 4;
    } else throw new Error(`not a key label: ${JSON.stringify(label)}`);
  }
  return Buffer.from(bytes);
}
