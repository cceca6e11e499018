import { EventEmitter } from 'node:events';
import type { SectionInfo, SectionStatus, SectionUpdate } from '../../common/protocol.js';
import type { QueryResult } from '../sources/DataSource.js';
import type { Logger } from '../log.js';
import { canonicalHash } from './canonicalHash.js';
import { errorText } from './errorText.js';
import { RefreshScheduler } from './RefreshScheduler.js';
import type { SnapshotStore } from './SnapshotStore.js';

/**
 * Sections due within this long of a section whose run starts run with it, a little early: their
 * reads then share one round trip (ReadBatcher). It covers timers of one change that a loaded
 * machine fires apart, and sections whose minimum gaps ended a few milliseconds apart.
 */
const FIRE_TOGETHER_MS = 20;

/** A section as the engine sees it: what to show and how to read its rows. */
export interface SectionSpec {
  info: SectionInfo;
  read(): Promise<QueryResult>;
  /** After a read: resolves when the reads it shared a round trip with are answered too. */
  settled?(): Promise<void>;
}

export interface EngineEvents {
  /** A section's rows changed: a new version to send to its room. */
  update: [update: SectionUpdate, lagMs: number];
  /** A section started or stopped failing. */
  status: [status: SectionStatus];
  /** A read finished (for metrics). */
  read: [section: string, durationMs: number, ok: boolean];
  /**
   * A safety re-check found new rows that no change notification announced: the change feed
   * missed a change (or the SQL depends on the clock).
   */
  missed: [section: string];
  /**
   * No read is running any more: the updates of one change (its sections read side by side) are
   * all out, and delivery may send them together.
   */
  idle: [];
}

/**
 * Why a read was asked for: a change feed reported a change; a periodic safety re-check; a
 * re-check of SQL that reads the clock whose tables did not change (new rows then are the clock
 * moving, never a missed change); or the feed (re)connected and anything may have changed.
 */
export type RefreshCause = 'change' | 'recheck' | 'clock' | 'resync';

export interface SectionEngineOptions {
  specs: SectionSpec[];
  store: SnapshotStore;
  log: Logger;
  /** Delay after the first change of a quiet period (ms). */
  settleMs?: number;
  /** Minimum time between the starts of two reads of one section (ms). */
  minGapMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

interface SectionState {
  spec: SectionSpec;
  scheduler: RefreshScheduler;
  /** Health from the last read (no warning: that is kept apart, set by the change feed). */
  status: SectionStatus;
  warning: string | undefined;
  /** Causes of the requests not yet taken by a read. */
  causes: Set<RefreshCause>;
}

/**
 * Runs each section's read when asked, hashes the rows canonically and publishes a new version only
 * when they changed. It never reads because somebody subscribed: snapshots come from the store.
 */
export class SectionEngine extends EventEmitter<EngineEvents> {
  private readonly sections = new Map<string, SectionState>();
  private readonly store: SnapshotStore;
  private readonly log: Logger;
  /** False on a cluster follower: it never reads; statuses and snapshots come from the leader. */
  private active = true;
  /** Reads running now (see the `idle` event). */
  private running = 0;

  constructor(options: SectionEngineOptions) {
    super();
    this.store = options.store;
    this.log = options.log;
    for (const spec of options.specs) {
      const id = spec.info.id;
      const scheduler = new RefreshScheduler({
        settleMs: options.settleMs ?? 5,
        minGapMs: options.minGapMs ?? 100,
        backoff: options.backoff ?? { initialMs: 1000, maxMs: 30_000 },
        onFire: () => this.fireDueWithin(FIRE_TOGETHER_MS),
        // A run ends with the round trip its read shared (spec.settled), not with its own answer:
        // the sections of one change then start their next reads together, in one batch again.
        run: (changedAt) =>
          this.tracked(
            this.read(id, changedAt).then(async (ok) => {
              await spec.settled?.();
              return ok;
            }),
          ),
      });
      this.sections.set(id, {
        spec,
        scheduler,
        status: { section: id, healthy: true },
        warning: undefined,
        causes: new Set(),
      });
    }
  }

  catalog(): SectionInfo[] {
    return [...this.sections.values()].map((s) => s.spec.info);
  }

  has(id: string): boolean {
    return this.sections.has(id);
  }

  ids(): string[] {
    return [...this.sections.keys()];
  }

  snapshot(id: string): SectionUpdate | undefined {
    return this.store.get(id);
  }

  status(id: string): SectionStatus | undefined {
    const state = this.sections.get(id);
    return state && withWarning(state);
  }

  unhealthy(): SectionStatus[] {
    return [...this.sections.values()].filter((s) => !s.status.healthy).map(withWarning);
  }

  /** Something behind this section changed (or may have): re-read it soon. */
  request(id: string, changedAt = Date.now(), cause: RefreshCause = 'change'): void {
    if (!this.active) return;
    const state = this.sections.get(id);
    if (!state) return;
    state.causes.add(cause);
    state.scheduler.request(changedAt);
  }

  /**
   * The change feed's verdict on a section: a warning (it works, but changes may be missed, and
   * why) or none. Sent to subscribers when it changes.
   */
  setWarning(id: string, warning: string | undefined): void {
    const state = this.sections.get(id);
    if (!state || state.warning === warning) return;
    state.warning = warning;
    if (warning) this.log.warn({ section: id, warning }, 'section change feed cannot be trusted');
    else this.log.info({ section: id }, 'section change feed verified');
    this.emit('status', withWarning(state));
  }

  /** A section's run starts: the others due within `ms` start with it (one batch of reads). */
  private fireDueWithin(ms: number): void {
    for (const state of this.sections.values()) state.scheduler.fireIfDueWithin(ms);
  }

  /** Failing sections retry now instead of at their backoff (the database answers again). */
  retryFailing(): void {
    if (!this.active) return;
    for (const state of this.sections.values()) {
      if (state.status.healthy) continue;
      state.scheduler.cancel();
      state.causes.add('resync');
      state.scheduler.request();
    }
  }

  /** Starts (leader) or stops (follower) reading; stopping drops queued reads. */
  setActive(active: boolean): void {
    this.active = active;
    if (active) return;
    for (const s of this.sections.values()) {
      s.scheduler.cancel();
      s.causes.clear(); // a later leadership starts afresh (with a resync)
    }
  }

  /** Read through a method: setActive() may run while a read is awaited. */
  private isActive(): boolean {
    return this.active;
  }

  /** A status decided elsewhere (by the cluster's leader): stored, not emitted. */
  setRemoteStatus(status: SectionStatus): void {
    const state = this.sections.get(status.section);
    if (!state) return;
    const { warning, ...health } = status;
    state.status = health;
    state.warning = warning;
  }

  requestAll(changedAt = Date.now(), cause: RefreshCause = 'change'): void {
    for (const id of this.sections.keys()) this.request(id, changedAt, cause);
  }

  stop(): void {
    for (const s of this.sections.values()) s.scheduler.stop();
  }

  /** Counts a read while it runs; the last one to finish says `idle`. */
  private tracked(read: Promise<boolean>): Promise<boolean> {
    this.running += 1;
    return read.finally(() => {
      this.running -= 1;
      if (this.running === 0) this.emit('idle');
    });
  }

  private async read(id: string, changedAt: number): Promise<boolean> {
    const state = this.sections.get(id);
    if (!state || !this.active) return true;
    const started = Date.now();
    const causes = [...state.causes];
    state.causes.clear();
    let result: QueryResult;
    try {
      result = await state.spec.read();
    } catch (error) {
      this.emit('read', id, Date.now() - started, false);
      this.setStatus(state, { section: id, healthy: false, error: errorText(error) });
      return false;
    }
    const queriedAt = Date.now();
    this.emit('read', id, queriedAt - started, true);
    const hadData = this.store.get(id) !== undefined;
    try {
      const hash = canonicalHash(result.columns, result.rows, result.truncated);
      const published = await this.store.publish({
        section: id,
        result,
        hash,
        changedAt,
        queriedAt,
      });
      // Lost the lease meanwhile: the new leader re-reads; nothing to retry here.
      if (published.kind === 'fenced') return true;
      this.setStatus(state, {
        section: id,
        healthy: true,
        lastOkAt: new Date(queriedAt).toISOString(),
      });
      if (published.kind === 'published') {
        this.emit('update', published.update, Date.now() - changedAt);
        // Only a re-check asked, and no change was reported even while it ran: a missed change.
        // (The first read of a section has nothing to compare with: it is never "missed".)
        const onlyRecheck = causes.length > 0 && causes.every((c) => c === 'recheck');
        if (onlyRecheck && hadData && !state.causes.has('change')) {
          this.emit('missed', id);
        }
      }
      return true;
    } catch (error) {
      // Deactivated meanwhile (a follower now): the new leader re-reads; nothing to retry here.
      if (!this.isActive()) return true;
      // The store failed (in a cluster: Redis). The rows were read fine; retry the publish later.
      this.log.warn({ section: id, err: errorText(error) }, 'could not publish section snapshot');
      return false;
    }
  }

  private setStatus(state: SectionState, next: SectionStatus): void {
    const previous = state.status;
    state.status = next.healthy
      ? next
      : { ...next, ...(previous.lastOkAt ? { lastOkAt: previous.lastOkAt } : {}) };
    const changed =
      previous.healthy !== next.healthy || (!next.healthy && previous.error !== next.error);
    if (!changed) return;
    if (next.healthy) this.log.info({ section: next.section }, 'section recovered');
    else this.log.warn({ section: next.section, err: next.error }, 'section query failing');
    this.emit('status', withWarning(state));
  }
}

function withWarning(state: SectionState): SectionStatus {
  return state.warning ? { ...state.status, warning: state.warning } : state.status;
}
