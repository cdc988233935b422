/** The live feed's contract: one read per interval for all viewers, none without viewers, events only on change. */
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../test/support/index.js';
import { silentLogger } from '../test/helpers.js';
import { ResultsFeed, resultsEvent, unavailableEvent } from './feed.js';
import { type Results, toResults } from './results.js';

function fakeRead(initial: Results) {
  const state = { current: initial as Results | Error, calls: 0 };
  const read = async (): Promise<Results> => {
    state.calls++;
    if (state.current instanceof Error) throw state.current;
    return state.current;
  };
  return { state, read };
}

const collect = () => {
  const got: string[] = [];
  return { got, viewer: (c: string) => got.push(c) > 0 };
};

describe('ResultsFeed', () => {
  it('reads once per interval however many viewers there are, and not at all without viewers', async () => {
    const { state, read } = fakeRead(toResults(['a', 'b'], { a: 1 }));
    const feed = new ResultsFeed(read, 50, silentLogger());
    await sleep(200);
    expect(state.calls).toBe(0);
    const viewers = Array.from({ length: 20 }, collect);
    const stops = viewers.map((v) => feed.subscribe(v.viewer));
    await sleep(500);
    // ~10 ticks in 500 ms on an idle machine; a read per viewer would be ~200.
    expect(state.calls).toBeGreaterThanOrEqual(2);
    expect(state.calls).toBeLessThanOrEqual(12);
    for (const v of viewers) expect(v.got).toEqual([resultsEvent(toResults(['a', 'b'], { a: 1 }))]);
    for (const stop of stops) stop();
    const after = state.calls;
    await sleep(200);
    expect(state.calls).toBe(after);
    feed.close();
  });

  it('sends a change, the last event to a newcomer, and unavailable once while the read fails', async () => {
    const { state, read } = fakeRead(toResults(['a', 'b'], { a: 1 }));
    const feed = new ResultsFeed(read, 30, silentLogger());
    const first = collect();
    feed.subscribe(first.viewer);
    await waitFor('first event', () => first.got.length === 1, 5_000);
    state.current = toResults(['a', 'b'], { a: 1, b: 1 });
    await waitFor('the change', () => first.got.length === 2, 5_000);
    expect(first.got[1]).toBe(resultsEvent({ options: { a: 1, b: 1 }, total: 2, shares: { a: 0.5, b: 0.5 } }));
    const late = collect();
    feed.subscribe(late.viewer);
    expect(late.got).toEqual([first.got[1]]);
    state.current = new Error('connection refused');
    await waitFor('unavailable', () => first.got.length === 3, 5_000);
    expect(first.got[2]).toBe(unavailableEvent('results database unavailable'));
    await sleep(200);
    expect(first.got).toHaveLength(3);
    state.current = toResults(['a', 'b'], { a: 1, b: 1 });
    await waitFor('back', () => first.got.length === 4, 5_000);
    expect(first.got[3]).toBe(first.got[1]);
    feed.close();
  });

  it('drops a viewer that cannot keep up', async () => {
    const { state, read } = fakeRead(toResults(['a', 'b'], {}));
    const feed = new ResultsFeed(read, 30, silentLogger());
    let calls = 0;
    feed.subscribe(() => {
      calls++;
      return false;
    });
    await waitFor('a read', () => state.calls > 0, 5_000);
    await waitFor('the drop', () => feed.viewerCount === 0, 5_000);
    expect(calls).toBe(1);
    feed.close();
  });
});

describe('toResults', () => {
  it('keeps the configured options in order, zeros included, and shares that add up to 1', () => {
    expect(toResults(['x', 'y', 'z'], { z: 1, x: 3, other: 10 })).toEqual({
      options: { x: 3, y: 0, z: 1 },
      total: 4,
      shares: { x: 0.75, y: 0, z: 0.25 },
    });
    expect(toResults(['x', 'y'], {}).shares).toEqual({ x: 0, y: 0 });
  });
});
