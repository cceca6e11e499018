/**
 * Per-socket event rate limit: `capacity` events at once, refilled at `perSecond`. One limiter
 * serves every socket of a server; a socket's whole state is one number, the time its bucket is
 * full again, kept only once it sends an event (and held weakly: it goes with the socket).
 */
export class TokenBucket {
  private readonly fullAt = new WeakMap<object, number>();
  private readonly msPerToken: number;

  constructor(
    private readonly capacity: number,
    perSecond: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.msPerToken = 1000 / perSecond;
  }

  /** Takes one token from `key`'s bucket; false when it is empty. */
  take(key: object): boolean {
    const now = this.clock();
    const full = Math.max(now, this.fullAt.get(key) ?? now);
    // Tokens left now: capacity less the ones still refilling.
    const tokens = this.capacity - (full - now) / this.msPerToken;
    if (tokens < 1) return false;
    this.fullAt.set(key, full + this.msPerToken);
    return true;
  }
}
