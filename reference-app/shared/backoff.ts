/** Capped exponential backoff with full jitter: retry forever, never hammer a recovering server. */
export interface Backoff {
  /** Milliseconds to wait before the next attempt; grows until `reset()`. */
  next(): number;
  reset(): void;
  readonly attempts: number;
}

export function backoff(baseMs = 100, capMs = 5_000, random: () => number = Math.random): Backoff {
  let attempts = 0;
  return {
    next() {
      const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempts, 20));
      attempts++;
      return Math.round(ceiling / 2 + (random() * ceiling) / 2);
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
