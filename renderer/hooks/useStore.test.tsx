// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Store } from '../live/Store.js';
import { useStore } from './useStore.js';

afterEach(cleanup);

describe('Store snapshots', () => {
  it('get() is the latest value at once; snapshot() moves at the notification (next frame)', async () => {
    const store = new Store(1);
    const told = vi.fn();
    store.subscribe(told);
    store.updateInFrame((n) => n + 1);
    store.updateInFrame((n) => n + 1);
    expect(store.get()).toBe(3);
    expect(store.snapshot()).toBe(1);
    await vi.waitFor(() => expect(told).toHaveBeenCalledTimes(1));
    expect(store.snapshot()).toBe(3);
  });

  it('set() publishes at once, with whatever was held for the frame', () => {
    const store = new Store(1);
    store.updateInFrame(() => 2);
    store.set(5);
    expect(store.snapshot()).toBe(5);
    store.updateInFrame(() => 6);
    store.update((n) => n * 10);
    expect(store.snapshot()).toBe(60);
  });
});

/**
 * Renders the live value next to another store's. A render that the other store starts between
 * two frames must not draw the live updates held for the next frame: those show in the frame's
 * own commit, so a section changes on screen at most once per frame.
 */
function Pair({
  live,
  other,
  seen,
}: {
  live: Store<number>;
  other: Store<string>;
  seen: number[];
}) {
  const value = useStore(live);
  const word = useStore(other);
  seen.push(value);
  return (
    <p data-testid="pair">
      {value} {word}
    </p>
  );
}

describe('useStore', () => {
  it('a render started by another store before the frame shows the last frame’s value', async () => {
    const live = new Store(1);
    const other = new Store('a');
    const seen: number[] = [];
    render(<Pair live={live} other={other} seen={seen} />);
    expect(screen.getByTestId('pair').textContent).toBe('1 a');

    act(() => {
      live.updateInFrame(() => 2);
      other.set('b'); // an immediate change (an alert, a connection change) renders at once
    });
    expect(screen.getByTestId('pair').textContent).toBe('1 b');

    await vi.waitFor(() => expect(screen.getByTestId('pair').textContent).toBe('2 b'));
    act(() => {
      live.updateInFrame(() => 3);
      live.updateInFrame(() => 4);
    });
    await vi.waitFor(() => expect(screen.getByTestId('pair').textContent).toBe('4 b'));
    // Every value drawn was a frame's: 2 never showed before its frame, 3 never showed at all.
    expect([...new Set(seen)]).toEqual([1, 2, 4]);
    expect(seen.indexOf(2)).toBeGreaterThan(seen.lastIndexOf(1));
  });
});
