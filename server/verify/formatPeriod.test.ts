import { describe, expect, it } from 'vitest';
import { formatPeriod } from './verifyNotifyFeed.js';

describe('formatPeriod', () => {
  it('says seconds, or minutes from two on', () => {
    expect(formatPeriod(60_000)).toBe('60 s');
    expect(formatPeriod(1500)).toBe('1.5 s');
    expect(formatPeriod(300_000)).toBe('5 min');
  });
});
