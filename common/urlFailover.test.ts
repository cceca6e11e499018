/** URL failover across a profile's node URLs: round-robin, last good first, backoff per round. */
import { describe, expect, it } from 'vitest';
import {
  currentUrl,
  failoverDelayMs,
  markFailed,
  markGood,
  startFailover,
  withUrls,
} from './urlFailover.js';

const A = 'http://a:3001';
const B = 'http://b:3001';
const C = 'http://c:3001';
const backoff = { initialMs: 1000, maxMs: 8000 };

describe('urlFailover', () => {
  it('starts at the first URL, or at the last good one when still listed', () => {
    expect(currentUrl(startFailover([A, B, C]))).toBe(A);
    expect(currentUrl(startFailover([A, B, C], B))).toBe(B);
    expect(currentUrl(startFailover([A, B, C], 'http://gone:1'))).toBe(A);
    expect(currentUrl(startFailover([]))).toBeUndefined();
    expect(startFailover([A, A, B]).urls).toEqual([A, B]);
  });

  it('moves round-robin to the next URL on each failure, wrapping around', () => {
    let s = startFailover([A, B, C]);
    const seen: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      s = markFailed(s, currentUrl(s)!);
      seen.push(currentUrl(s));
    }
    expect(seen).toEqual([B, C, A, B, C]);
  });

  it('ignores late failures of a URL that is no longer current', () => {
    const s = markFailed(startFailover([A, B]), A);
    expect(markFailed(s, A)).toBe(s);
  });

  it('remembers the last good URL and starts again from it', () => {
    let s = startFailover([A, B, C]);
    s = markFailed(s, A);
    s = markGood(s, B);
    expect(s.lastGood).toBe(B);
    expect(currentUrl(s)).toBe(B);
    s = markFailed(s, B);
    expect(currentUrl(s)).toBe(C);
    // Edited list: keeps the last good URL if it is still there.
    expect(currentUrl(withUrls(s, [C, B]))).toBe(B);
    expect(withUrls(s, [A, B, C])).toBe(s);
    expect(markGood(s, 'http://unknown:1')).toBe(s);
  });

  it('tries untried URLs at once, then backs off per failed round', () => {
    let s = startFailover([A, B]);
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      s = markFailed(s, currentUrl(s)!);
      delays.push(failoverDelayMs(s, backoff));
    }
    expect(delays).toEqual([0, 1000, 0, 2000, 0, 4000, 0, 8000, 0, 8000]);
    s = markGood(s, currentUrl(s)!);
    expect(failoverDelayMs(markFailed(s, currentUrl(s)!), backoff)).toBe(0);
  });

  it('a single URL backs off on every failure', () => {
    let s = startFailover([A]);
    s = markFailed(s, A);
    expect(currentUrl(s)).toBe(A);
    expect(failoverDelayMs(s, backoff)).toBe(1000);
  });
});
