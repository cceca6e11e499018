import type { SectionUpdate } from '../../common/protocol.js';

/** Longest an update waits for the other reads of its change (ms). */
export const MAX_HOLD_MS = 25;

/**
 * The updates of one change, delivered together. A change usually touches several sections whose
 * reads run side by side and finish a few milliseconds apart; sent as each finishes, every client
 * would get one write per section, and the slowest section would wait behind the fan-out of the
 * others. Held until the engine has no read running (`idle`), or MAX_HOLD_MS at most, they leave
 * in one pass: each client gets one write for all of them (SlowConsumerGuard.emitUpdates), and
 * the dashboard shows the change at once, not section by section.
 */
export class UpdateBatch {
  private pending: { update: SectionUpdate; lagMs: number; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (updates: SectionUpdate[], lagsMs: number[]) => void,
    private readonly maxHoldMs = MAX_HOLD_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A new version; `lagMs`: from the change to now. */
  add(update: SectionUpdate, lagMs: number): void {
    this.pending.push({ update, lagMs, at: this.clock() });
    this.timer ??= setTimeout(() => this.flush(), this.maxHoldMs);
  }

  /** The engine has no read running: what is held goes now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const now = this.clock();
    this.deliver(
      batch.map((p) => p.update),
      batch.map((p) => p.lagMs + (now - p.at)),
    );
  }
}
