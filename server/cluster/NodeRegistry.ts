import type { RedisConnection } from './redisClients.js';
import type { Row } from '../../common/protocol.js';
import type { ClusterKeys } from './clusterKeys.js';

/** A node is live while its heartbeat is younger than this. */
export const NODE_EXPIRY_MS = 5000;
const HEARTBEAT_MS = 1000;

/**
 * Heartbeats of the cluster's nodes: every node writes its `$cluster` row to Redis every second
 * (a key that expires after NODE_EXPIRY_MS, plus a sorted set of last-seen times to list them).
 * A node that stops cleanly removes itself at once; a crashed one expires.
 */
export class NodeRegistry {
  private timer: NodeJS.Timeout | undefined;
  private lastLive: Row[] = [];
  private row: () => Promise<Row> = () => Promise.reject(new Error('not started'));

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    private readonly nodeId: string,
  ) {}

  /** Starts heartbeats carrying `row()`, this node's current `$cluster` row. */
  start(row: () => Promise<Row>): void {
    this.row = row;
    const beat = () => {
      void this.beat().finally(() => {
        if (this.timer) this.timer = setTimeout(beat, HEARTBEAT_MS).unref();
      });
    };
    this.timer = setTimeout(beat, 0).unref();
  }

  /** An extra heartbeat now (leadership changed: the `$cluster` views should say so at once). */
  async beatNow(): Promise<void> {
    await this.beat();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.redis
      .multi()
      .zrem(this.keys.seen, this.nodeId)
      .del(this.keys.node(this.nodeId))
      .exec()
      .catch(() => undefined);
  }

  /** The live nodes' rows, sorted by nodeId; the last known list while Redis is unreachable. */
  async liveNodes(): Promise<Row[]> {
    try {
      const now = Date.now();
      const ids = await this.redis.zrangebyscore(this.keys.seen, now - NODE_EXPIRY_MS, '+inf');
      if (ids.length === 0) return (this.lastLive = []);
      const rows = await this.redis.mget(...ids.map((id) => this.keys.node(id)));
      this.lastLive = rows
        .filter((r): r is string => r !== null)
        .map((r) => JSON.parse(r) as Row)
        .sort((a, b) => nodeIdOf(a).localeCompare(nodeIdOf(b)));
      return this.lastLive;
    } catch {
      return this.lastLive;
    }
  }

  private async beat(): Promise<void> {
    try {
      const row = await this.row();
      const now = Date.now();
      await this.redis
        .multi()
        .set(this.keys.node(this.nodeId), JSON.stringify(row), 'PX', NODE_EXPIRY_MS)
        .zadd(this.keys.seen, now, this.nodeId)
        // forget nodes gone for a minute (they crashed without saying goodbye)
        .zremrangebyscore(this.keys.seen, '-inf', now - 60_000)
        .exec();
    } catch {
      // Redis unreachable: the next beat tries again; liveNodes() serves the last known list.
    }
  }
}

function nodeIdOf(row: Row): string {
  return typeof row.nodeId === 'string' ? row.nodeId : '';
}
