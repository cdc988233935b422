/**
 * The live results behind GET /results/stream (Server-Sent Events): ONE read per interval, shared
 * by every open page, and only while at least one is open. An event goes out when the results
 * change (and to each new viewer at once), `unavailable` when PostgreSQL stops answering, and a
 * comment line now and then so proxies do not close a quiet stream.
 */
import type { Logger } from '../shared/logger.js';
import type { Results } from './results.js';

/** Receives SSE text; returns false when the viewer cannot keep up (it is then dropped). */
export type Viewer = (chunk: string) => boolean;

/** A quiet stream still gets a comment this often (proxies time idle connections out at 30-60 s). */
export const KEEPALIVE_MS = 15_000;

export const resultsEvent = (r: Results): string => `event: results\ndata: ${JSON.stringify(r)}\n\n`;
export const unavailableEvent = (error: string): string => `event: unavailable\ndata: ${JSON.stringify({ error })}\n\n`;

export class ResultsFeed {
  private readonly viewers = new Set<Viewer>();
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  /** The last event sent (results or unavailable): what a new viewer gets first. */
  private last: string | undefined;
  private lastSentAt = 0;

  constructor(
    private readonly read: () => Promise<Results>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Adds a viewer; returns its unsubscribe. The first viewer starts the reads, the last one stops them. */
  subscribe(viewer: Viewer): () => void {
    this.viewers.add(viewer);
    if (this.last !== undefined) viewer(this.last);
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
      this.timer.unref();
      void this.tick();
    }
    return () => this.unsubscribe(viewer);
  }

  private unsubscribe(viewer: Viewer): void {
    this.viewers.delete(viewer);
    if (this.viewers.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      // Stale by the time anyone looks again: the next first viewer waits for a fresh read.
      this.last = undefined;
    }
  }

  /** One read for everyone; a read still running when the next tick comes is not doubled. */
  private async tick(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    let event: string;
    try {
      event = resultsEvent(await this.read());
    } catch (err) {
      if (this.last === undefined || this.last.startsWith('event: results')) {
        this.logger.warn({ err: (err as Error).message }, 'live results: PostgreSQL unavailable');
      }
      event = unavailableEvent('results database unavailable');
    } finally {
      this.reading = false;
    }
    if (this.viewers.size === 0) return;
    if (event !== this.last) this.broadcast(event);
    else if (Date.now() - this.lastSentAt >= KEEPALIVE_MS) this.broadcast(': keepalive\n\n');
    this.last = event;
  }

  private broadcast(chunk: string): void {
    this.lastSentAt = Date.now();
    for (const v of [...this.viewers]) if (!v(chunk)) this.unsubscribe(v);
  }

  /** Stops reading and forgets every viewer (shutdown: the caller ends their responses). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.viewers.clear();
  }
}
