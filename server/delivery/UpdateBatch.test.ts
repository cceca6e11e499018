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
  const batch = new UpdateBatch((u, lags) => delivered.push([u.map((x) => x.section), lags]));
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

it('never holds an update longer than MAX_HOLD_MS', () => {
  const delivered: string[][] = [];
  const batch = new UpdateBatch((u) => delivered.push(u.map((x) => x.section)));
  batch.add(update('a'), 0);
  vi.advanceTimersByTime(MAX_HOLD_MS - 1);
  expect(delivered).toEqual([]);
  batch.add(update('b'), 0);
  vi.advanceTimersByTime(1);
  expect(delivered).toEqual([['a', 'b']]);
  vi.advanceTimersByTime(10 * MAX_HOLD_MS);
  expect(delivered).toHaveLength(1); // the timer went with the flush
});
