import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

function sequence(rng: Random, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('Random', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(sequence(new Random('demo'), 100)).toEqual(sequence(new Random('demo'), 100));
    expect(sequence(new Random(42), 100)).toEqual(sequence(new Random(42), 100));
  });

  it('treats a number and its decimal text as the same seed', () => {
    expect(sequence(new Random(42), 20)).toEqual(sequence(new Random('42'), 20));
  });

  it('gives different sequences for different seeds, even similar ones', () => {
    const a = sequence(new Random('seed-1'), 20);
    const b = sequence(new Random('seed-2'), 20);
    expect(a).not.toEqual(b);
    expect(sequence(new Random(''), 20)).not.toEqual(a);
  });

  it('next() stays in [0, 1) and is roughly uniform', () => {
    const values = sequence(new Random(7), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
    const lowerHalf = values.filter((v) => v < 0.5).length / values.length;
    expect(lowerHalf).toBeGreaterThan(0.48);
    expect(lowerHalf).toBeLessThan(0.52);
  });

  it('int() includes both ends and nothing outside them', () => {
    const rng = new Random('int');
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i += 1) {
      const v = rng.int(-2, 3);
      expect(Number.isInteger(v)).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('uniform() stays within its bounds', () => {
    const rng = new Random('uniform');
    for (let i = 0; i < 1_000; i += 1) {
      const v = rng.uniform(20, 180);
      expect(v).toBeGreaterThanOrEqual(20);
      expect(v).toBeLessThan(180);
    }
  });

  it('pick() returns every element eventually and rejects an empty array', () => {
    const rng = new Random('pick');
    const items = ['a', 'b', 'c', 'd'];
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) seen.add(rng.pick(items));
    expect(seen).toEqual(new Set(items));
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('weighted() follows the weights', () => {
    const rng = new Random('weighted');
    const counts = { a: 0, b: 0, c: 0 };
    const items = ['a', 'b', 'c'] as const;
    for (let i = 0; i < 30_000; i += 1) counts[rng.weighted(items, [1, 2, 0])] += 1;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(1.85);
    expect(counts.b / counts.a).toBeLessThan(2.15);
  });

  it('chance() hits with the given probability', () => {
    const rng = new Random('chance');
    let hits = 0;
    for (let i = 0; i < 20_000; i += 1) if (rng.chance(0.04)) hits += 1;
    expect(hits / 20_000).toBeGreaterThan(0.035);
    expect(hits / 20_000).toBeLessThan(0.045);
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
  });

  it('normal() has the requested mean and standard deviation', () => {
    const rng = new Random('normal');
    const values = Array.from({ length: 20_000 }, () => rng.normal(100, 15));
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
    expect(mean).toBeGreaterThan(99.5);
    expect(mean).toBeLessThan(100.5);
    expect(sd).toBeGreaterThan(14.5);
    expect(sd).toBeLessThan(15.5);
  });

  it('logNormal() is positive, centred on the median and skewed right', () => {
    const rng = new Random('lognormal');
    const values = Array.from({ length: 20_000 }, () => rng.logNormal(120, 0.8)).sort(
      (a, b) => a - b,
    );
    expect(values[0]).toBeGreaterThan(0);
    const median = values[values.length / 2] as number;
    expect(median).toBeGreaterThan(114);
    expect(median).toBeLessThan(126);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeGreaterThan(median * 1.2); // the long tail pulls the mean up
  });

  it('exponential() has the requested mean', () => {
    const rng = new Random('exponential');
    const values = Array.from({ length: 20_000 }, () => rng.exponential(2_000));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeGreaterThan(1_940);
    expect(mean).toBeLessThan(2_060);
  });
});
