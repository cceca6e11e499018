import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log.js';
import { LeaderLease } from './LeaderLease.js';
import type { RedisConnection } from './redisClients.js';

const TTL_MS = 3000;

/** How the fake Redis answers a renewal. */
type Renewals = 'answer' | 'hang' | { lateMs: number };

/**
 * The part of a Redis connection the lease uses (eval, on/off 'ready'), answering its scripts the
 * way a Redis that grants every lease would; renewals as `renewals` says.
 */
class FakeRedis extends EventEmitter {
  renewals: Renewals = 'answer';
  renewsSent = 0;

  eval(script: string): Promise<unknown> {
    if (script.includes('INCR')) return Promise.resolve('lease:node-a:1');
    if (script.includes('PEXPIRE')) {
      this.renewsSent += 1;
      const how = this.renewals;
      if (how === 'answer') return Promise.resolve(1);
      if (how === 'hang') return new Promise(() => undefined); // a paused Redis never answers
      return new Promise((resolve) => setTimeout(() => resolve(1), how.lateMs));
    }
    return Promise.resolve(0); // RELEASE
  }
}

describe('LeaderLease', () => {
  let redis: FakeRedis;
  let lease: LeaderLease;
  /** Added to the clock the lease reads: moves it against the timers. */
  let clockOffset: number;
  const deposed: string[] = [];

  beforeEach(async () => {
    vi.useFakeTimers();
    redis = new FakeRedis();
    clockOffset = 0;
    deposed.length = 0;
    lease = new LeaderLease({
      // The lease calls only eval, on and off; a whole ioredis client is not needed to test it.
      redis: redis as unknown as RedisConnection,
      key: 'lease',
      epochKey: 'epoch',
      nodeId: 'node-a',
      ttlMs: TTL_MS,
      log: silentLogger(),
      clock: () => Date.now() + clockOffset,
    });
    lease.on('deposed', (reason) => deposed.push(reason));
    lease.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(lease.isLeader).toBe(true);
  });

  afterEach(async () => {
    await lease.stop();
    vi.useRealTimers();
  });

  it('keeps leading while every renewal is answered', async () => {
    await vi.advanceTimersByTimeAsync(10 * TTL_MS);
    expect(lease.isLeader).toBe(true);
    expect(deposed).toEqual([]);
    expect(redis.renewsSent).toBeGreaterThanOrEqual(29); // every ttl / 3
  });

  it('steps down when the lease runs out while a renewal hangs (Redis paused)', async () => {
    redis.renewals = 'hang';
    await vi.advanceTimersByTimeAsync(TTL_MS + 10);
    expect(deposed).toEqual(['lease expired (no renewal)']);
    expect(lease.isLeader).toBe(false);
  });

  it('steps down also when its timer fires before the clock says the lease ran out', async () => {
    // Node's timers fire up to 1 ms early against the clock (about 7% of them, measured on Node
    // 20); a watchdog that checked once and gave up left a node leading until Redis answered.
    redis.renewals = 'hang';
    await vi.advanceTimersByTimeAsync(TTL_MS / 3); // the hanging renewal is sent
    clockOffset = -5;
    await vi.advanceTimersByTimeAsync((2 * TTL_MS) / 3);
    expect(lease.isLeader).toBe(true); // the timer fired; the clock says 5 ms to go
    await vi.advanceTimersByTimeAsync(10);
    expect(deposed).toEqual(['lease expired (no renewal)']);
    expect(lease.isLeader).toBe(false);
  });

  it('a reply that comes after its ttl gives nothing, and the token is renewed at once', async () => {
    redis.renewals = { lateMs: TTL_MS + 500 };
    await vi.advanceTimersByTimeAsync(TTL_MS + 10); // expired before the late reply
    expect(deposed).toEqual(['lease expired (no renewal)']);
    redis.renewals = 'answer';
    const sent = redis.renewsSent;
    await vi.advanceTimersByTimeAsync(TTL_MS / 3 + 500); // the late reply, then a renewal
    expect(redis.renewsSent).toBe(sent + 1);
    expect(lease.isLeader).toBe(true);
  });
});
