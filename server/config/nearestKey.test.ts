import { describe, expect, it } from 'vitest';
import { editDistance, nearestKey, suggestionDistance } from './nearestKey.js';

describe('editDistance', () => {
  it.each([
    ['port', 'port', 0],
    ['prot', 'port', 1], // neighbours swapped
    ['pooll', 'pool', 1], // one extra letter
    ['databse', 'database', 1], // one missing letter
    ['hast', 'host', 1], // one wrong letter
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // optimal string alignment: a swapped pair is not edited again
  ])('%s -> %s = %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('nearestKey', () => {
  const listen = ['host', 'port', 'tls', 'allowedOrigins'];

  it('suggests the known key a typo is closest to', () => {
    expect(nearestKey('prot', listen)).toBe('port');
    expect(nearestKey('Port', listen)).toBe('port');
    expect(nearestKey('allowedOrigin', listen)).toBe('allowedOrigins');
    expect(nearestKey('alowedOrigns', listen)).toBe('allowedOrigins'); // 2 edits, 12 letters
    expect(nearestKey('install-trigger', ['config', 'install-triggers'])).toBe('install-triggers');
  });

  it('suggests nothing for a word that is not a likely typo', () => {
    expect(nearestKey('frobnicate', listen)).toBeUndefined();
    expect(nearestKey('extra', ['listen', 'auth', 'watch', 'cluster'])).toBeUndefined();
    expect(nearestKey('pt', listen)).toBeUndefined(); // 2 edits from "port" is too far for 2 letters
    expect(nearestKey('x', [])).toBeUndefined();
  });

  it('accepts a unique prefix of three or more letters, not an ambiguous one', () => {
    expect(nearestKey('work', ['config', 'host', 'port', 'workers'])).toBe('workers');
    expect(nearestKey('allow', ['allowAnonymous', 'allowedOrigins'])).toBeUndefined();
  });

  it('allows 1 edit up to 5 letters, then one per 3 letters', () => {
    expect([1, 5, 6, 8, 9, 12].map(suggestionDistance)).toEqual([1, 1, 2, 2, 3, 4]);
  });

  it('prefers the closer key, and the earlier one on a tie', () => {
    expect(nearestKey('hosts', ['hast', 'host'])).toBe('host');
    expect(nearestKey('bat', ['cat', 'hat'])).toBe('cat');
  });
});
