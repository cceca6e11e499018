import type { RedisConnection } from './redisClients.js';
import type { SectionUpdate } from '../../common/protocol.js';
import { canonicalHash } from '../sections/canonicalHash.js';
import type { PublishInput, PublishResult, SnapshotStore } from '../sections/SnapshotStore.js';
import type { ClusterKeys } from './clusterKeys.js';

/**
 * Stores a new snapshot only if the caller still holds the lease (fencing) and the rows changed.
 * The version is max(stored + 1, now): it never goes back, across failovers and restarts alike.
 * Returns the new version, 0 when unchanged, -1 when fenced off.
 */
const PUBLISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local current = redis.call('HMGET', KEYS[2], 'hash', 'version')
if current[1] == ARGV[2] then return 0 end
if not current[2] and ARGV[5] ~= '' then
  -- Redis lost its data, and this node already holds these very rows: restore, same version.
  redis.call('HSET', KEYS[2], 'hash', ARGV[2], 'version', ARGV[5], 'body', ARGV[3])
  return 0
end
local version = math.max((tonumber(current[2]) or 0) + 1, tonumber(ARGV[4]))
redis.call('HSET', KEYS[2], 'hash', ARGV[2], 'version', version, 'body', ARGV[3])
return version`;

type Body = Omit<SectionUpdate, 'section' | 'version'>;

/**
 * The cluster's snapshot store. The latest snapshot of every section lives in Redis (one hash per
 * section); every node keeps the same snapshots in memory, so it answers a subscribe at once and
 * keeps serving its clients through a Redis outage. Memory stays one snapshot per section.
 */
export class RedisSnapshotStore implements SnapshotStore {
  private readonly local = new Map<string, SectionUpdate>();
  /** Canonical hash of each local snapshot's rows. */
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ClusterKeys,
    /** The current fencing token, or undefined when this node is not the leader. */
    private readonly token: () => string | undefined,
  ) {}

  get(section: string): SectionUpdate | undefined {
    return this.local.get(section);
  }

  async publish(input: PublishInput): Promise<PublishResult> {
    const token = this.token();
    if (!token) return { kind: 'fenced', reason: 'not the leader' };
    const body: Body = {
      rows: input.result.rows,
      columns: input.result.columns,
      changedAt: new Date(input.changedAt).toISOString(),
      queriedAt: new Date(input.queriedAt).toISOString(),
      ...(input.result.truncated ? { truncated: true } : {}),
      hash: input.hash, // the same text on every node (`verify`, evidence files)
    };
    const version = (await this.redis.eval(
      PUBLISH,
      2,
      this.keys.lease,
      this.keys.snapshot(input.section),
      token,
      input.hash,
      JSON.stringify(body),
      String(Date.now()),
      this.hashes.get(input.section) === input.hash
        ? String(this.local.get(input.section)?.version ?? '')
        : '',
    )) as number;
    if (version === -1) return { kind: 'fenced', reason: 'lease lost: another node is the leader' };
    if (version === 0) return { kind: 'unchanged' };
    const update: SectionUpdate = { section: input.section, version, ...body };
    this.local.set(input.section, update);
    this.hashes.set(input.section, input.hash);
    return { kind: 'published', update };
  }

  /** An update published by the leader reached this node; true if it is newer than ours. */
  accept(update: SectionUpdate): boolean {
    const current = this.local.get(update.section);
    if (current && current.version >= update.version) return false;
    // A body stored before updates carried their hash gets it here, so every node sends one.
    update.hash ??= canonicalHash(update.columns, update.rows, update.truncated === true);
    this.local.set(update.section, update);
    this.hashes.set(update.section, update.hash);
    return true;
  }

  /**
   * The snapshots in Redis newer than this node's (after an outage, a lost pub/sub message, at
   * start): one round trip for the versions, a second for the bodies of the newer ones only.
   */
  async refresh(sections: string[]): Promise<SectionUpdate[]> {
    const stored = await this.each(sections, (p, key) => p.hget(key, 'version'));
    const behind = sections.filter((id, i) => {
      const version = Number(stored[i] ?? 0);
      return version > (this.local.get(id)?.version ?? 0);
    });
    if (behind.length === 0) return [];
    const fetched = await this.each(behind, (p, key) => p.hmget(key, 'version', 'body'));
    const newer: SectionUpdate[] = [];
    behind.forEach((id, index) => {
      const [version, body] = (fetched[index] ?? []) as [string | null, string | null];
      if (!version || !body) return;
      const update: SectionUpdate = {
        section: id,
        version: Number(version),
        ...(JSON.parse(body) as Body),
      };
      if (this.accept(update)) newer.push(update);
    });
    return newer;
  }

  /** One pipelined command per section's snapshot key; throws the first error (callers retry). */
  private async each(
    sections: string[],
    command: (pipeline: ReturnType<RedisConnection['pipeline']>, key: string) => void,
  ): Promise<unknown[]> {
    const pipeline = this.redis.pipeline();
    for (const id of sections) command(pipeline, this.keys.snapshot(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }
}
