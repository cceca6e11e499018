import type { SectionUpdate } from '../../common/protocol.js';
import type { QueryResult } from '../sources/DataSource.js';

export interface PublishInput {
  section: string;
  result: QueryResult;
  hash: string;
  changedAt: number;
  queriedAt: number;
}

/**
 * What a publish did: stored a new version; found the rows unchanged (nothing to send); or was
 * fenced off (in a cluster: this node no longer holds the lease, the new leader re-reads).
 */
export type PublishResult =
  | { kind: 'published'; update: SectionUpdate }
  | { kind: 'unchanged' }
  | { kind: 'fenced'; reason: string };

/**
 * The latest snapshot of every section, and the only place versions are assigned. Exactly one
 * snapshot per section is retained, so memory is bounded by sections x maxRows, never by time,
 * clients or the number of changes. A cluster replaces this with a store shared through Redis.
 */
export interface SnapshotStore {
  get(section: string): SectionUpdate | undefined;
  /**
   * Stores a result whose hash differs from the current one. Rejects only when the store itself
   * fails (Redis unreachable); a lost lease is a `fenced` result, not an error.
   */
  publish(input: PublishInput): Promise<PublishResult>;
}

/**
 * Versions are `max(previous + 1, now in ms)`: strictly increasing, and never reused by a restarted
 * server. A client that resyncs with `have` after a restart can therefore never mistake new rows
 * for the ones it holds. (Reads of one section are due at least 100 ms apart, so versions do not
 * run ahead of the clock.)
 */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly entries = new Map<string, { hash: string; update: SectionUpdate }>();

  constructor(private readonly clock: () => number = Date.now) {}

  get(section: string): SectionUpdate | undefined {
    return this.entries.get(section)?.update;
  }

  publish(input: PublishInput): Promise<PublishResult> {
    const current = this.entries.get(input.section);
    if (current?.hash === input.hash) return Promise.resolve({ kind: 'unchanged' });
    const update: SectionUpdate = {
      section: input.section,
      version: Math.max((current?.update.version ?? 0) + 1, this.clock()),
      rows: input.result.rows,
      columns: input.result.columns,
      changedAt: new Date(input.changedAt).toISOString(),
      queriedAt: new Date(input.queriedAt).toISOString(),
    };
    if (input.result.truncated) update.truncated = true;
    // The canonical hash goes out with the rows: an evidence file carries it, `verify` checks it.
    update.hash = input.hash;
    this.entries.set(input.section, { hash: input.hash, update });
    return Promise.resolve({ kind: 'published', update });
  }
}
