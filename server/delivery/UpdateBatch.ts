import type { SectionUpdate } from '../../common/protocol.js';

/** Longest an update ever waits for the other reads of its change (ms). */
export const MAX_HOLD_MS = 25;

/**
 * The updates of one change, delivered together. A change usually touches several sections whose
 * reads run side by side and finish a few milliseconds apart; sent as each finishes, every client
 * would get one write per section, and the slowest section would wait behind the fan-out of the
 * others. Held until the engine has no read running (`idle`), or MAX_HOLD_MS at most, they leave
 * in one pass: each client gets one write for all of them (SlowConsumerGuard.emitUpdates), and
 * the dashboard shows the change at once, not section by section.
 *
 * Waiting is worth it only while it costs less than the passes it saves: the first update after a
 * quiet spell goes at once, and the ones that follow it are held no longer than one delivery pass
 * of an update took last time (`deliver` returns how long it took), and MAX_HOLD_MS at most. A few hundred clients take a millisecond or two, so their updates hardly
 * wait; ten thousand take tens of milliseconds a pass, and then one pass instead of three counts.
 */
export class UpdateBatch {
  private pending: { update: SectionUpdate; lagMs: number; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** How long delivering one update took in the last pass (ms). */
  private passMs = 0;
  /** When the last pass ended. */
  private lastPassAt = -Infinity;

  constructor(
    /** Sends the batch; returns how long that took (ms). */
    private readonly deliver: (updates: SectionUpdate[], lagsMs: number[]) => number,
    private readonly maxHoldMs = MAX_HOLD_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A new version; `lagMs`: from the change to now. */
  add(update: SectionUpdate, lagMs: number): void {
    const now = this.clock();
    this.pending.push({ update, lagMs, at: now });
    // The first of a burst goes at once: nothing went out for a pass's time, so waiting would
    // only add latency. What follows it while the change's other reads run waits for them.
    if (this.pending.length === 1 && now - this.lastPassAt >= this.passMs) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), Math.min(this.maxHoldMs, this.passMs));
  }

  /** The engine has no read running: what is held goes now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const now = this.clock();
    const tookMs = this.deliver(
      batch.map((p) => p.update),
      batch.map((p) => p.lagMs + (now - p.at)),
    );
    this.passMs = tookMs / batch.length;
    this.lastPassAt = this.clock();
  }
}
