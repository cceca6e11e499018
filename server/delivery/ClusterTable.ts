import type { Row, SectionStatus, SectionUpdate } from '../../common/protocol.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import type { Logger } from '../log.js';
import { canonicalHash } from '../sections/canonicalHash.js';
import { CLUSTER_REFRESH_MS, clusterSection } from '../sections/clusterSection.js';
import { errorText } from '../sections/errorText.js';
import { RefreshScheduler } from '../sections/RefreshScheduler.js';
import type { SectionSpec } from '../sections/SectionEngine.js';
import { MemorySnapshotStore } from '../sections/SnapshotStore.js';

export interface ClusterTableEvents {
  update(update: SectionUpdate): void;
  status(status: SectionStatus): void;
}

/**
 * The reserved `$cluster` section, computed by every node for its own clients (never by the
 * leader's engine: its rows are this node's view). Read every CLUSTER_REFRESH_MS and on request,
 * one read in flight; a new version only when the rows changed, like any section.
 */
export class ClusterTable {
  readonly spec: SectionSpec;
  private readonly store = new MemorySnapshotStore();
  private readonly scheduler: RefreshScheduler;
  private current: SectionStatus = { section: CLUSTER_SECTION_ID, healthy: true };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    rows: () => Promise<Row[]>,
    private readonly on: ClusterTableEvents,
    private readonly log: Logger,
  ) {
    this.spec = clusterSection(rows);
    this.scheduler = new RefreshScheduler({
      settleMs: 0,
      minGapMs: 100,
      backoff: { initialMs: CLUSTER_REFRESH_MS, maxMs: CLUSTER_REFRESH_MS },
      run: (changedAt) => this.read(changedAt),
    });
  }

  snapshot(): SectionUpdate | undefined {
    return this.store.get(CLUSTER_SECTION_ID);
  }

  status(): SectionStatus {
    return this.current;
  }

  /** Re-read now (soon: one read in flight, one queued). */
  request(): void {
    this.scheduler.request();
  }

  start(): void {
    this.request();
    this.timer = setInterval(() => this.request(), CLUSTER_REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.scheduler.stop();
  }

  private async read(changedAt: number): Promise<boolean> {
    let result;
    try {
      result = await this.spec.read();
    } catch (error) {
      this.setStatus({ section: CLUSTER_SECTION_ID, healthy: false, error: errorText(error) });
      return false;
    }
    const queriedAt = Date.now();
    const hash = canonicalHash(result.columns, result.rows, result.truncated);
    const input = { section: CLUSTER_SECTION_ID, result, hash, changedAt, queriedAt };
    const published = await this.store.publish(input);
    this.setStatus({
      section: CLUSTER_SECTION_ID,
      healthy: true,
      lastOkAt: new Date(queriedAt).toISOString(),
    });
    if (published.kind === 'published') this.on.update(published.update);
    return true;
  }

  private setStatus(next: SectionStatus): void {
    const wasHealthy = this.current.healthy;
    this.current = next;
    if (wasHealthy === next.healthy) return;
    if (next.healthy) this.log.info({ section: CLUSTER_SECTION_ID }, 'section recovered');
    else this.log.warn({ section: CLUSTER_SECTION_ID, err: next.error }, 'section failing');
    this.on.status(next);
  }
}
