import { InMemoryStore } from '@socket.io/admin-ui';

/** A session outlives its login this long (the Admin UI then asks for the password again). */
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** At most this many live sessions; the oldest goes first. */
const MAX_SESSIONS = 256;

/**
 * The Admin UI's sessions (what it sends instead of the password when it reconnects), bounded in
 * number and time: @socket.io/admin-ui's own InMemoryStore keeps every session ever made. Per
 * node: an Admin UI that reconnects to another node logs in there with its credentials. It extends
 * InMemoryStore, the one store class the package exports (its own set stays empty).
 */
export class AdminSessions extends InMemoryStore {
  /** Session id -> expiry (epoch ms), in creation order. */
  private readonly live = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {
    super();
  }

  override doesSessionExist(sessionId: string): Promise<boolean> {
    const expires = this.live.get(sessionId);
    if (expires !== undefined && expires <= this.clock()) this.live.delete(sessionId);
    return Promise.resolve(expires !== undefined && expires > this.clock());
  }

  override saveSession(sessionId: string): void {
    const now = this.clock();
    for (const [id, expires] of this.live) {
      if (expires > now && this.live.size < MAX_SESSIONS) break;
      this.live.delete(id);
    }
    this.live.set(sessionId, now + SESSION_TTL_MS);
  }

  get size(): number {
    return this.live.size;
  }
}
