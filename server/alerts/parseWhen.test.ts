import { describe, expect, it } from 'vitest';
import { parseDuration } from './parseDuration.js';
import { parseWhen } from './parseWhen.js';

describe('parseWhen', () => {
  it.each([
    ['open_orders > 50', { kind: 'threshold', column: 'open_orders', op: '>', threshold: 50 }],
    ['  v<=-1.5 ', { kind: 'threshold', column: 'v', op: '<=', threshold: -1.5 }],
    ['x != 0', { kind: 'threshold', column: 'x', op: '!=', threshold: 0 }],
    ['no change for 30m', { kind: 'stale', ms: 30 * 60_000 }],
    ['no  change for 1h30m', { kind: 'stale', ms: 90 * 60_000 }],
    ['failing', { kind: 'failing' }],
  ])('%j', (text, condition) => {
    expect(parseWhen(text)).toEqual(condition);
  });

  it.each(['open_orders >> 5', 'open_orders > fifty', '> 5', 'no change for ever', 'fails', ''])(
    'refuses %j',
    (text) => {
      expect(parseWhen(text)).toBeUndefined();
    },
  );
});

describe('parseDuration', () => {
  it('reads s, m and h, up to a week', () => {
    expect(parseDuration('20s')).toBe(20_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('168h')).toBe(7 * 24 * 3_600_000);
    for (const bad of ['169h', '0s', '2 minutes', '5', '1d', '-1m']) {
      expect(parseDuration(bad)).toBeUndefined();
    }
  });
});
