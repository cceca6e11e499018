import { EventEmitter } from 'node:events';
import type { RedisConnection } from './redisClients.js';
import type { Logger } from '../log.js';

export interface LeaseOptions {
  redis: RedisConnection;
  key: string;
  epochKey: string;
  nodeId: string;
  /** Lease duration; the holder renews every ttlMs / 3. */
  ttlMs?: number;
  log: Logger;
}

// A missing epoch means Redis lost its data (restarted empty) while an old leader may still trust
// its lease for up to one ttl: park the lease for one ttl before anybody can take it.
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SET', KEYS[2], 0)
  redis.call('SET', KEYS[1], 'parked', 'PX', ARGV[2])
  return false
end
local epoch = redis.call('INCR', KEYS[2])
local token = ARGV[1] .. ':' .. epoch
redis.call('SET', KEYS[1], token, 'PX', ARGV[2])
return token`;

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
 * clock. Redis can expire the key no earlier than ttl after it processed that renewal, which is
 * after it was sent, so the old leader always steps down before a new one can be elected. Writes
 * are fenced as well: the snapshot script refuses a token that no longer holds the lease.
 */
export class LeaderLease extends EventEmitter<{
  elected: [token: string];
  deposed: [reason: string];
}> {
  private token: string | undefined;
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly ttlMs: number;

  constructor(private readonly options: LeaseOptions) {
    super();
    this.ttlMs = options.ttlMs ?? 3000;
  }

  get isLeader(): boolean {
    return this.token !== undefined && Date.now() < this.validUntil;
  }

  /** The fencing token while leader. */
  get currentToken(): string | undefined {
    return this.isLeader ? this.token : undefined;
  }

  start(): void {
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearTimeout(this.watchdog);
    const token = this.token;
    if (token) {
      this.depose('stopping');
      // Hand over at once instead of letting the lease run out.
      await this.options.redis.eval(RELEASE, 1, this.options.key, token).catch(() => undefined);
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { redis, key, epochKey, nodeId } = this.options;
    const sentAt = Date.now();
    try {
      if (this.token) {
        const renewed = (await redis.eval(RENEW, 1, key, this.token, String(this.ttlMs))) as number;
        if (renewed === 1) this.extend(sentAt);
        else this.depose('lease taken over');
      } else {
        const token = (await redis.eval(ACQUIRE, 2, key, epochKey, nodeId, String(this.ttlMs))) as
          string | null;
        if (token && !this.isStopped()) {
          this.token = token;
          this.extend(sentAt);
          this.options.log.info({ token }, 'elected leader');
          this.emit('elected', token);
        }
      }
    } catch (error) {
      // Redis unreachable: keep acting only while the last renewal is provably still valid.
      if (this.token && Date.now() >= this.validUntil)
        this.depose(`Redis unreachable: ${(error as Error).message}`);
    }
    if (this.token && Date.now() >= this.validUntil) this.depose('lease expired');
    if (this.isStopped()) return;
    const wait = this.token
      ? Math.min(this.ttlMs / 3, Math.max(0, this.validUntil - Date.now() - 50))
      : this.ttlMs / 3;
    this.timer = setTimeout(() => void this.tick(), wait);
    this.timer.unref();
  }

  /** Read through a method: stop() may run while a Redis call is awaited. */
  private isStopped(): boolean {
    return this.stopped;
  }

  /** Valid until ttl after the request was sent; a watchdog steps down then even if Redis hangs. */
  private extend(sentAt: number): void {
    this.validUntil = sentAt + this.ttlMs;
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(
      () => {
        if (this.token && Date.now() >= this.validUntil) this.depose('lease expired (no renewal)');
      },
      Math.max(0, this.validUntil - Date.now()),
    );
    this.watchdog.unref();
  }

  private depose(reason: string): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (!this.token) return;
    this.token = undefined;
    this.validUntil = 0;
    this.options.log.warn({ reason }, 'no longer leader');
    this.emit('deposed', reason);
  }
}
