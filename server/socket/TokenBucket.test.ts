import { expect, it } from 'vitest';
import { TokenBucket } from './TokenBucket.js';

it('lets a burst of `capacity` through, then refills at the rate, per key', () => {
  let now = 1_000_000;
  const bucket = new TokenBucket(3, 10, () => now);
  const a = {};
  const b = {};
  expect([1, 2, 3, 4].map(() => bucket.take(a))).toEqual([true, true, true, false]);
  expect(bucket.take(b)).toBe(true); // another socket's bucket is full
  now += 99;
  expect(bucket.take(a)).toBe(false); // not yet one token (100 ms each)
  now += 1;
  expect(bucket.take(a)).toBe(true);
  expect(bucket.take(a)).toBe(false);
  now += 10_000; // long idle: full again, never more than the capacity
  expect([1, 2, 3, 4].map(() => bucket.take(a))).toEqual([true, true, true, false]);
});
