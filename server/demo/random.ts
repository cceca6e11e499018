/** Everything a Random needs to continue a sequence exactly; see Random.snapshot(). */
export type RandomState = readonly [number, number, number, number, number | undefined];

/**
 * A small seeded pseudo-random generator for the demo data (sfc32, seeded through cyrb128).
 *
 * Why not Math.random: the demo must be reproducible. The same seed yields the same history and the
 * same sequence of simulated orders, so a bug seen in a demo can be replayed and tests can assert
 * exact values. Not for anything security related.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box-Muller yields normals in pairs; the second one is kept for the next call. */
  private spareNormal: number | undefined;

  /**
   * Numbers are hashed through their decimal text, so `new Random(42)` and `new Random('42')` agree
   * (a seed coming from the command line is a string).
   */
  constructor(seed: string | number) {
    [this.a, this.b, this.c, this.d] = cyrb128(String(seed));
    // sfc32's first outputs still correlate with the seed words; discard a few.
    for (let i = 0; i < 15; i += 1) this.nextUint32();
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks items[i] with probability weights[i] / sum(weights). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RangeError('weighted() needs as many positive weights as items');
    }
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i += 1) {
      r -= weights[i] as number;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T; // floating point leftovers
  }

  /** Normally distributed (Box-Muller). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    // 1 - next() is in (0, 1], so the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return mean + sd * radius * Math.cos(angle);
  }

  /**
   * Log-normally distributed, parameterised the way people think about prices: half the values fall
   * below `median`, and `sigma` (of the underlying normal) sets how long the right tail is.
   */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponentially distributed with the given mean: gaps between independent (Poisson) arrivals. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Captures the position in the sequence, to rewind to it with restore(). */
  snapshot(): RandomState {
    return [this.a, this.b, this.c, this.d, this.spareNormal];
  }

  /**
   * Rewinds to a snapshot. The sales floor uses it when a write is rolled back, so the orders that
   * are retried are the same ones, not new draws.
   */
  restore(state: RandomState): void {
    [this.a, this.b, this.c, this.d, this.spareNormal] = state;
  }

  private nextUint32(): number {
    // sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), 32-bit variant.
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
}

/** cyrb128: hashes a string into four 32-bit words, the seed state sfc32 needs. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i += 1) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
