import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { SectionUpdate } from '../../common/protocol.js';
import { MAX_HOLD_MS, UpdateBatch } from './UpdateBatch.js';

const update = (section: string, version = 1): SectionUpdate => ({
  section,
  version,
  rows: [],
  columns: [],
  changedAt: '2026-01-01T00:00:00.000Z',
  queriedAt: '2026-01-01T00:00:00.000Z',
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it('holds updates until flushed, then delivers them together, in order, with their lag', () => {
  const delivered: [string[], number[]][] = [];
  // Passes of a second: the hold is MAX_HOLD_MS.
  const batch = new UpdateBatch(
    (u, lags) => delivered.push([u.map((x) => x.section), lags]) * 1000,
  );
  batch.add(update('warm-up'), 0);
  batch.flush();
  delivered.length = 0;
  batch.add(update('a'), 10);
  vi.advanceTimersByTime(3);
  batch.add(update('b'), 4);
  batch.add(update('a', 2), 1);
  expect(delivered).toEqual([]);
  batch.flush();
  // `a` waited 3 ms for the others: its lag says so.
  expect(delivered).toEqual([
    [
      ['a', 'b', 'a'],
      [13, 4, 1],
    ],
  ]);
  batch.flush();
  expect(delivered).toHaveLength(1); // nothing left to send
});

it('never holds an update longer than MAX_HOLD_MS, however long a pass takes', () => {
  const delivered: string[][] = [];
  const batch = new UpdateBatch((u) => delivered.push(u.map((x) => x.section)) * 1000);
  batch.add(update('warm-up'), 0);
  batch.flush(); // a pass of 1 s
  delivered.length = 0;
  batch.add(update('a'), 0);
  vi.advanceTimersByTime(MAX_HOLD_MS - 1);
  expect(delivered).toEqual([]);
  batch.add(update('b'), 0);
  vi.advanceTimersByTime(1);
  expect(delivered).toEqual([['a', 'b']]);
  vi.advanceTimersByTime(10 * MAX_HOLD_MS);
  expect(delivered).toHaveLength(1); // the timer went with the flush
});

it('holds an update no longer than one pass of it took last time', () => {
  const delivered: string[][] = [];
  let passMs = 0;
  const batch = new UpdateBatch((u) => {
    delivered.push(u.map((x) => x.section));
    return passMs * u.length;
  });
  batch.add(update('a'), 0);
  vi.advanceTimersByTime(0); // nothing measured yet: no wait
  expect(delivered).toEqual([['a']]);
  passMs = 4;
  batch.add(update('b'), 0);
  vi.advanceTimersByTime(0);
  batch.add(update('c'), 0);
  batch.flush(); // this pass took 4 ms per update
  batch.add(update('d'), 0);
  vi.advanceTimersByTime(3);
  expect(delivered).toEqual([['a'], ['b'], ['c']]);
  vi.advanceTimersByTime(1);
  expect(delivered).toEqual([['a'], ['b'], ['c'], ['d']]);
  vi.advanceTimersByTime(100); // quiet for longer than a pass: the next one goes at once
  batch.add(update('e'), 0);
  expect(delivered.at(-1)).toEqual(['e']);
  batch.add(update('f'), 0); // ... and the one right behind it waits for the rest
  expect(delivered.at(-1)).toEqual(['e']);
  vi.advanceTimersByTime(4);
  expect(delivered.at(-1)).toEqual(['f']);
});
