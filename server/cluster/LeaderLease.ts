import { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { RedisConnection } from './redisClients.js';

export interface LeaseOptions {
  redis: RedisConnection;
  key: string;
  epochKey: string;
  nodeId: string;
  /** Lease duration; the holder renews every ttlMs / 3. */
  ttlMs?: number;
  log: Logger;
  /** A monotonic clock in ms (performance.now); tests pass their own. */
  clock?: () => number;
}

/**
 * Takes the lease if free. Answers `lease:<token>`, `taken` (somebody holds it or it is parked),
 * or `parked`.
 *
 * No epoch means either a cluster (name) never used before, or a Redis that lost its data while an
 * old leader may still trust its lease for up to one ttl. Only the nodes can tell the two apart:
 * ARGV[3] is '1' when the caller has seen this cluster's epoch before. Then Redis restarted empty,
 * and the lease is parked for one ttl, so that the old leader steps down before anybody else can
 * lead. Otherwise the cluster is new and its first leader is elected at once.
 */
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'taken' end
if redis.call('EXISTS', KEYS[2]) == 0 and ARGV[3] == '1' then
  redis.call('SET', KEYS[2], 0)
  redis.call('SET', KEYS[1], 'parked', 'PX', ARGV[2])
  return 'parked'
end
local epoch = redis.call('INCR', KEYS[2])
local token = ARGV[1] .. ':' .. epoch
redis.call('SET', KEYS[1], token, 'PX', ARGV[2])
return 'lease:' .. token`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Which node watches the database: a Redis lease (SET NX PX) with a fencing token
 * `<nodeId>:<epoch>`. The holder renews it; everybody else tries to take it when it expires.
 *
 * Safety: the holder considers itself leader only until `lastRenewSent + ttl`, measured on its own
 * monotonic clock (a wall clock stepped back by NTP would stretch the lease). Redis can expire the key no earlier than ttl after it processed that renewal, which is
 * after it was sent, so the old leader always steps down before a new one can be elected. Writes
 * are fenced as well: the snapshot script refuses a token that no longer holds the lease.
 *
 * Liveness: a reply that arrives after its own ttl (Redis slow or paused) leaves this node not
 * leading, but still holding a token Redis may honour: it renews at once (a compare-and-expire,
 * so only if nobody took the lease meanwhile) instead of leaving the cluster leaderless until the
 * key expires. The first attempt runs as soon as the Redis connection is ready.
 */
export class LeaderLease extends EventEmitter<{
  elected: [token: string];
  deposed: [reason: string];
}> {
  /** The token Redis last granted or renewed for this node (it may have expired there since). */
  private held: string | undefined;
  private leading = false;
  private validUntil = 0;
  /** This node has seen the cluster's epoch in Redis (a missing one then means data lost). */
  private seenEpoch = false;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private ticking = false;
  /** The last attempt failed (Redis unreachable): wait before the next, or for 'ready'. */
  private failed = false;
  private stopped = false;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly onReady = (): void => {
    if (!this.leading) this.tickNow();
  };

  constructor(private readonly options: LeaseOptions) {
    super();
    this.ttlMs = options.ttlMs ?? 3000;
    this.now = options.clock ?? (() => performance.now());
  }

  get isLeader(): boolean {
    return this.leading && this.now() < this.validUntil;
  }

  /** The fencing token while leader. */
  get currentToken(): string | undefined {
    return this.isLeader ? this.held : undefined;
  }

  start(): void {
    this.options.redis.on('ready', this.onReady);
    this.tickNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.redis.off('ready', this.onReady);
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearTimeout(this.watchdog);
    const token = this.held;
    this.held = undefined;
    this.depose('stopping');
    // Hand over at once instead of letting the lease run out.
    if (token)
      await this.options.redis.eval(RELEASE, 1, this.options.key, token).catch(() => undefined);
  }

  /** Runs the next attempt now, unless one is in flight (it schedules the next itself). */
  private tickNow(): void {
    if (this.ticking || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.ticking = true;
    const sentAt = this.now();
    this.failed = false;
    try {
      await (this.held ? this.renew(this.held, sentAt) : this.acquire(sentAt));
    } catch (error) {
      this.failed = true;
      // Redis unreachable: keep acting only while the last renewal is provably still valid.
      if (this.leading && this.now() >= this.validUntil)
        this.depose(`Redis unreachable: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
    if (this.leading && this.now() >= this.validUntil) this.depose('lease expired');
    if (this.isStopped()) return;
    this.timer = setTimeout(() => void this.tick(), this.nextWaitMs());
    this.timer.unref();
  }

  private async acquire(sentAt: number): Promise<void> {
    const { redis, key, epochKey, nodeId } = this.options;
    const seen = this.seenEpoch ? '1' : '0';
    const reply = (await redis.eval(ACQUIRE, 2, key, epochKey, nodeId, this.ttl(), seen)) as string;
    this.seenEpoch = true; // there is one now, whatever the answer
    if (reply === 'parked') {
      this.options.log.warn(
        { ttlMs: this.ttlMs },
        'lease parked: Redis holds no epoch (restarted empty?); nobody leads for one ttl',
      );
    }
    if (!reply.startsWith('lease:') || this.isStopped()) return;
    this.held = reply.slice('lease:'.length);
    this.confirm(sentAt);
  }

  private async renew(token: string, sentAt: number): Promise<void> {
    const { redis, key } = this.options;
    const renewed = (await redis.eval(RENEW, 1, key, token, this.ttl())) as number;
    if (renewed === 1) return this.confirm(sentAt);
    this.held = undefined;
    this.depose('lease taken over');
  }

  /**
   * Redis granted or renewed the lease for ttl after `sentAt`: lead until then, on this clock. A
   * reply that comes too late gives nothing (the next tick, at once, renews the held token).
   */
  private confirm(sentAt: number): void {
    this.validUntil = sentAt + this.ttlMs;
    if (this.now() >= this.validUntil) {
      this.options.log.warn(
        { ms: Math.round(this.now() - sentAt), ttlMs: this.ttlMs },
        'lease reply arrived after its ttl; renewing at once',
      );
      this.depose('lease reply arrived after its ttl');
      return;
    }
    this.armWatchdog();
    if (this.leading || !this.held) return;
    this.leading = true;
    this.options.log.info({ token: this.held }, 'elected leader');
    this.emit('elected', this.held);
  }

  /**
   * Steps down when the lease runs out with no renewal confirmed, also while a renewal hangs in a
   * paused Redis (then nothing else would). Node's timers can fire up to 1 ms before the clock says
   * the time has come: such an early fire arms again for what is left, instead of never deposing.
   */
  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(
      () => {
        if (!this.leading) return;
        if (this.now() >= this.validUntil) this.depose('lease expired (no renewal)');
        else this.armWatchdog();
      },
      Math.max(0, Math.ceil(this.validUntil - this.now())),
    );
    this.watchdog.unref();
  }

  /** Renew a third of a ttl ahead (and before the lease runs out); held but late: at once. */
  private nextWaitMs(): number {
    if (this.leading)
      return Math.min(this.ttlMs / 3, Math.max(0, this.validUntil - this.now() - 50));
    return this.held && !this.failed ? 0 : this.ttlMs / 3;
  }

  private ttl(): string {
    return String(this.ttlMs);
  }

  /** Read through a method: stop() may run while a Redis call is awaited. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private depose(reason: string): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.validUntil = 0;
    if (!this.leading) return;
    this.leading = false;
    this.options.log.warn({ reason }, 'no longer leader');
    this.emit('deposed', reason);
  }
}
