/**
 * The queue item contract shared by the vote service (producer), the worker (consumer) and the
 * queue exporter (which reads `ts` of the oldest item): a JSON string
 * `{"id":"<uuid>","voter":"<voter id>","option":"<option>","ts":<ms since epoch>}`.
 */
import { randomUUID } from 'node:crypto';

export interface QueueItem {
  id: string;
  voter: string;
  option: string;
  ts: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Voter ids come from cookies and request bodies: bounded, printable, no separators. */
export const VOTER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function newQueueItem(voter: string, option: string, now = Date.now()): QueueItem {
  return { id: randomUUID(), voter, option, ts: now };
}

export function encodeQueueItem(item: QueueItem): string {
  return JSON.stringify({ id: item.id, voter: item.voter, option: item.option, ts: item.ts });
}

/** Parses one raw list element; returns a reason instead of throwing so a bad item cannot wedge a worker. */
export function parseQueueItem(raw: string): { ok: true; item: QueueItem } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'not an object' };
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string' || !UUID.test(o.id)) return { ok: false, reason: 'id is not a UUID' };
  if (typeof o.voter !== 'string' || !VOTER_ID.test(o.voter)) return { ok: false, reason: 'bad voter' };
  if (typeof o.option !== 'string' || o.option.length === 0 || o.option.length > 64) {
    return { ok: false, reason: 'bad option' };
  }
  if (typeof o.ts !== 'number' || !Number.isFinite(o.ts) || o.ts <= 0 || o.ts > 8.64e15) {
    return { ok: false, reason: 'bad ts' };
  }
  return { ok: true, item: { id: o.id, voter: o.voter, option: o.option, ts: o.ts } };
}
