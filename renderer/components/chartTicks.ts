/**
 * The y ticks recharts is likely to draw (its `niceTicks="snap125"` steps: 1, 2, 2.5 or 5 times a
 * power of ten, 5 ticks, zero included), so that an axis is given the width of its real labels
 * before recharts has drawn it (and before its code has loaded). Pure: no React, no DOM.
 */
import { formatTick } from '../format/formatTick.js';

const NICE = [1, 2, 2.5, 5] as const;
/** recharts' YAxis default tick count. */
const TICK_COUNT = 5;
const EPSILON = 1e-9;

/** The smallest nice step of at least `rough`. */
function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const nice = NICE.find((n) => n * magnitude >= rough * (1 - EPSILON));
  return (nice ?? 10) * magnitude;
}

/** The nice step after `step` (2 after 1, 2.5 after 2, 10 after 5). */
function nextStep(step: number): number {
  return niceStep(step * 1.0001);
}

/** The TICK_COUNT ticks of an axis over `min`..`max` (zero included). */
export function likelyTicks(min: number, max: number): number[] {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi === lo) return [0];
  let step = niceStep((hi - lo) / (TICK_COUNT - 1));
  for (let tries = 0; tries < 16; tries++) {
    // Binary fractions: 1e-5 / 2.5e-6 is 4.000000000000001, and must count as 4 steps.
    const below = Math.floor(lo / step + EPSILON);
    const spare = TICK_COUNT - (Math.ceil(hi / step - EPSILON) - below + 1);
    if (spare >= 0) {
      // Like recharts: the spare ticks go above (below for an axis of negative values only).
      const first = hi > 0 ? below : below - spare;
      return Array.from({ length: TICK_COUNT }, (_, i) => (first + i) * step);
    }
    step = nextStep(step);
  }
  return [lo, hi];
}

/** Characters of the longest label among the likely ticks over `min`..`max` (at least 2). */
export function longestTickLabel(min: number, max: number): number {
  return Math.max(2, ...likelyTicks(min, max).map((t) => formatTick(t).length));
}
