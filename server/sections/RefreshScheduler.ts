/**
 * Decides when one section's query runs. Guarantees: at most one run in flight; requests that
 * arrive meanwhile collapse into one queued run; consecutive runs are due at least `minGapMs` apart,
 * so a burst of 1,000 changes costs a handful of queries; the first change after a quiet period
 * runs almost at once (after `settleMs`, which lets the notifications of one transaction arrive
 * together). After a failure the next run waits for the retry backoff. A run due within moments may
 * start early, with another section's (fireIfDueWithin), so that their reads share a round trip.
 */
export interface RefreshSchedulerOptions {
  settleMs: number;
  minGapMs: number;
  /** Runs the section; resolves true on success, false on failure. Must not reject. */
  run: (changedAt: number) => Promise<boolean>;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Called as this scheduler's own timer fires, before its run starts: the engine fires the other
   * sections due within moments now too (fireIfDueWithin), so that their reads share one batch.
   */
  onFire?: () => void;
}

export class RefreshScheduler {
  private running = false;
  private scheduled = false;
  private pendingSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When the last run was due (see fire()). */
  private lastStart = Number.NEGATIVE_INFINITY;
  /** When the scheduled run is due (epoch ms). */
  private dueAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private stopped = false;
  /** Identifies the scheduled fire; cancel() and each schedule() invalidate older ones. */
  private ticket = 0;

  constructor(private readonly options: RefreshSchedulerOptions) {}

  /** Asks for a run because something changed at `changedAt` (epoch ms). */
  request(changedAt = Date.now()): void {
    if (this.stopped) return;
    this.addPending(changedAt);
    if (!this.running && !this.scheduled) this.schedule();
  }

  /**
   * Starts the queued run now if it is due within `ms` (another section's run is starting: reading
   * together costs one round trip, not two). Timers armed with the same delay in one turn do not
   * always fire in one turn: Node stamps each with the clock as it is armed, and a preempted
   * process arms the next a millisecond or more later.
   */
  fireIfDueWithin(ms: number): void {
    if (!this.scheduled || this.running || this.stopped) return;
    if (this.dueAt - Date.now() > ms) return;
    if (this.timer) clearTimeout(this.timer);
    void this.fire(this.ticket, false);
  }

  /** True while a run is in flight or queued. */
  get busy(): boolean {
    return this.running || this.scheduled;
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  /** Drops a queued run (a run in flight finishes); later requests schedule again. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduled = false;
    this.ticket += 1;
    this.pendingSince = undefined;
    this.failures = 0;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.scheduled = true;
    let delay = Math.max(
      this.options.settleMs,
      this.lastStart + this.options.minGapMs - Date.now(),
    );
    if (this.failures > 0) {
      const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
      delay = Math.max(delay, Math.min(maxMs, initialMs * 2 ** (this.failures - 1)));
    }
    const ticket = ++this.ticket;
    this.dueAt = Date.now() + Math.max(0, delay);
    if (delay <= 0) {
      // setTimeout(0) waits at least 1 ms; the next turn of the event loop is enough.
      setImmediate(() => void this.fire(ticket, true));
      return;
    }
    this.timer = setTimeout(() => void this.fire(ticket, true), delay);
    this.timer.unref();
  }

  /** `own`: this scheduler's timer fired (not fireIfDueWithin), so it calls onFire. */
  private async fire(ticket: number, own: boolean): Promise<void> {
    // A fire from before cancel() or a newer schedule(), or one while a run is in flight (the run's
    // end schedules again): never a second run at the same time.
    if (ticket !== this.ticket || this.running) return;
    this.ticket += 1; // a pulled-forward run's timer, should it still fire, is stale
    this.timer = undefined;
    this.scheduled = false;
    if (this.stopped || this.pendingSince === undefined) return;
    if (own) this.options.onFire?.();
    const changedAt = this.pendingSince;
    this.pendingSince = undefined;
    this.running = true;
    // The gap counts from when the run was due, not from when its timer got to fire: sections
    // requested together stay due together (their reads share one batch, ReadBatcher) even when a
    // loaded event loop fires their timers a millisecond or more apart. Runs are still due at
    // least minGapMs apart; one may start up to 20 ms early with another section's
    // (fireIfDueWithin), or sooner after a stalled loop, when its due time has long passed.
    this.lastStart = Math.min(Date.now(), this.dueAt);
    const ok = await this.options.run(changedAt);
    this.running = false;
    if (ok) this.failures = 0;
    else {
      this.failures += 1;
      // A failed run is retried: keep the original detection time for the lag metric.
      this.addPending(changedAt);
    }
    if (this.hasPending()) this.schedule();
  }

  private addPending(changedAt: number): void {
    this.pendingSince = Math.min(this.pendingSince ?? changedAt, changedAt);
  }

  /** Read through a method: request() may have set it while a run was awaited. */
  private hasPending(): boolean {
    return this.pendingSince !== undefined;
  }
}
