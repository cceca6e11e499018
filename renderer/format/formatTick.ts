/**
 * Axis tick labels: short (12.5K, 4.5M) but never rounded into another number. A tick is a nice
 * number (0.25, 1,250, 7.5M): its label keeps every significant digit it has, so the ticks of an
 * axis read as distinct and true (0, 0.25, 0.5, 0.75, 1; not 0, 0.3, 0.5, 0.8, 1), whatever the
 * range.
 */
import { numberFormat } from './format.js';

/** Digits kept before trailing zeros are dropped: beyond them is binary floating-point noise. */
const PRECISION = 12;

/** The significant digits of `value` (0.25 -> 2, 1250 -> 3, 0.1 + 0.2 -> 1). */
export function significantDigits(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return 1;
  const mantissa =
    Math.abs(value)
      .toExponential(PRECISION - 1)
      .split('e')[0] ?? '';
  return Math.max(1, mantissa.replace('.', '').replace(/0+$/, '').length);
}

/** A tick label in compact notation with all of the tick's significant digits. */
export function formatTick(value: number, locale?: string): string {
  if (!Number.isFinite(value)) return '—';
  return numberFormat(locale, {
    notation: 'compact',
    maximumSignificantDigits: significantDigits(value),
  }).format(value);
}
