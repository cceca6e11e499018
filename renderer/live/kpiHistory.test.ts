import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  appendKpi,
  emptyKpiHistory,
  HISTORY_MS,
  kpiAt,
  momentOfClock,
  RECENT_LIMIT,
  RECENT_MS,
  type KpiHistory,
} from './kpiHistory.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);

function fill(times: number[]): KpiHistory {
  return times.reduce((h, at, i) => appendKpi(h, at, { n: i }), emptyKpiHistory);
}

describe('kpiHistory', () => {
  it('answers with the value on screen at a moment, exactly within the recent window', () => {
    const h = fill([T0, T0 + 1000, T0 + 5000]);
    expect(kpiAt(h, T0 + 999)?.row).toEqual({ n: 0 });
    expect(kpiAt(h, T0 + 1000)?.row).toEqual({ n: 1 });
    expect(kpiAt(h, T0 + 60_000)).toEqual({ at: T0 + 5000, row: { n: 2 }, firstSeen: false });
  });

  it('says when the moment is before the first value seen', () => {
    const h = fill([T0 + 5000]);
    expect(kpiAt(h, T0)).toEqual({ at: T0 + 5000, row: { n: 0 }, firstSeen: true });
    expect(kpiAt(emptyKpiHistory, T0)).toBeUndefined();
  });

  it('keeps the last version of each minute once older than the recent window', () => {
    // Every 10 s for an hour.
    const times = Array.from({ length: 361 }, (_, i) => T0 + i * 10_000);
    const h = fill(times);
    expect(h.recent.every((s) => s.at >= T0 + 60 * MINUTE - RECENT_MS)).toBe(true);
    expect(h.minutes.length).toBeLessThanOrEqual(51);
    // 08:20:00 is answered by the last version of 08:19 (08:19:50, the 119th).
    expect(kpiAt(h, T0 + 20 * MINUTE)).toEqual({
      at: T0 + 20 * MINUTE - 10_000,
      row: { n: 119 },
      firstSeen: false,
    });
  });

  test.prop([fc.array(fc.integer({ min: 1, max: 20 * MINUTE }), { maxLength: 400 })])(
    'stays bounded and in time order whatever the rate',
    (gaps) => {
      let at = T0;
      let h = emptyKpiHistory;
      for (const gap of gaps) {
        at += gap;
        h = appendKpi(h, at, { at });
      }
      expect(h.recent.length).toBeLessThanOrEqual(RECENT_LIMIT);
      expect(h.minutes.length).toBeLessThanOrEqual(HISTORY_MS / MINUTE + 1);
      const all = [...h.minutes, ...h.recent].map((s) => s.at);
      expect(all).toEqual([...all].sort((a, b) => a - b));
      if (gaps.length > 0) expect(h.recent.at(-1)?.at).toBe(at);
    },
  );

  it('caps the recent window by count at high rates', () => {
    const h = fill(Array.from({ length: RECENT_LIMIT + 50 }, (_, i) => T0 + i * 100));
    expect(h.recent).toHaveLength(RECENT_LIMIT);
    expect(h.minutes.length).toBeGreaterThan(0);
  });

  it('reads a wall-clock time as today, or yesterday when it is still ahead', () => {
    const now = new Date(2026, 11, 1, 10, 30).getTime();
    expect(momentOfClock('09:00', now)).toBe(new Date(2026, 11, 1, 9, 0).getTime());
    expect(momentOfClock('11:00', now)).toBe(new Date(2026, 10, 30, 11, 0).getTime());
    expect(momentOfClock('25:00', now)).toBeUndefined();
    expect(momentOfClock('soon', now)).toBeUndefined();
  });
});
