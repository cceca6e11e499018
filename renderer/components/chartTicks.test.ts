import { fc, test } from '@fast-check/vitest';
import { getNiceTickValues } from 'recharts';
import { describe, expect, it } from 'vitest';
import { formatTick, significantDigits } from '../format/formatTick.js';
import { likelyTicks, longestTickLabel } from './chartTicks.js';

/** The ticks recharts draws on a y axis of ours (5 ticks, `niceTicks="snap125"`, zero included). */
const rechartsTicks = (min: number, max: number) =>
  getNiceTickValues([Math.min(0, min), Math.max(0, max)], 5, true, 'snap125');

const UNITS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
/** An en-US compact label back to its number ("1.25K" -> 1250). */
function parseLabel(label: string): number {
  const match = /^(-?[\d.]+)([KMBT]?)$/.exec(label);
  if (!match) throw new Error(`not a compact number: ${label}`);
  return Number(match[1]) * (UNITS[match[2] ?? ''] ?? NaN);
}

/**
 * A y range as charts see it: up to 6 significant digits, magnitudes from 1e-6 to 1e12, some or
 * all values negative at times. (Not a float one ulp above a tick, 1.0000000000000002: recharts
 * counts steps in decimals, the estimate in binary floats, which cannot tell it from 1.)
 */
const range = fc
  .tuple(
    fc.integer({ min: 100_000, max: 999_999 }).map((n) => n / 100_000),
    fc.integer({ min: -6, max: 11 }),
    fc.constantFrom(0, 0, -0.3, -1),
    fc.boolean(),
  )
  .map(([mantissa, exponent, below, negative]) => {
    const max = mantissa * 10 ** exponent;
    return negative ? { min: -max, max: -below * max } : { min: below * max, max };
  });

describe('y axis tick labels', () => {
  it('keep the digits of a 0..1 axis: 0, 0.25, 0.5, 0.75, 1', () => {
    const ticks = rechartsTicks(0, 1);
    expect(ticks.map((t) => formatTick(t, 'en-US'))).toEqual(['0', '0.25', '0.5', '0.75', '1']);
  });

  it('keep every significant digit in compact notation', () => {
    expect(formatTick(1250, 'en-US')).toBe('1.25K');
    expect(formatTick(7_500_000, 'en-US')).toBe('7.5M');
    expect(formatTick(12, 'en-US')).toBe('12');
    expect(formatTick(0.1 + 0.2, 'en-US')).toBe('0.3');
    expect(formatTick(-0.125, 'de-DE')).toBe('-0,125');
    expect(significantDigits(0)).toBe(1);
    expect(significantDigits(0.000125)).toBe(3);
  });

  test.prop([range])('are distinct and read as the tick they stand for, for any range', (r) => {
    const ticks = rechartsTicks(r.min, r.max);
    const labels = ticks.map((t) => formatTick(t, 'en-US'));
    expect(new Set(labels).size).toBe(ticks.length);
    ticks.forEach((tick, i) => {
      const read = parseLabel(labels[i] ?? '');
      expect(Math.abs(read - tick)).toBeLessThanOrEqual(Math.abs(tick) * 1e-9 + 1e-15);
    });
  });

  test.prop([range])('are the ones recharts draws, so that the axis width fits them', (r) => {
    const expected = rechartsTicks(r.min, r.max);
    const estimated = likelyTicks(r.min, r.max);
    expect(estimated).toHaveLength(expected.length);
    estimated.forEach((tick, i) => {
      const real = expected[i] ?? NaN;
      expect(Math.abs(tick - real)).toBeLessThanOrEqual(Math.abs(real) * 1e-9 + 1e-12);
    });
    const longest = Math.max(2, ...expected.map((t) => formatTick(t).length));
    expect(longestTickLabel(r.min, r.max)).toBe(longest);
  });
});
