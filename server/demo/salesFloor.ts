import type { Database, Statement } from 'better-sqlite3';
import { DueQueue } from './dueQueue.js';
import { OrderMaker, type AgentRow, type OrderDraft } from './orderMaker.js';
import { Random, type RandomState } from './random.js';

export interface SalesFloorOptions {
  /** A writable connection to the demo database (schema applied, agents present). */
  db: Database;
  /** New orders per minute, on average. 0: no new orders, but open orders still get closed. */
  rate: number;
  seed: string | number;
  /** Called synchronously after every committed write, with the tables it changed. */
  onChange: (tables: string[]) => void;
  /** The clock, in epoch milliseconds; tests inject their own and drive the floor with tick(). */
  now?: () => number;
  /** A timed write or onChange failed. The floor keeps running; by default the error is printed. */
  onError?: (error: unknown) => void;
}

export interface TickResult {
  inserted: number;
  closed: number;
  refunded: number;
}

interface Closing {
  at: number;
  orderId: number;
  outcome: 'closed' | 'refunded';
}

/** An open order is settled this long after it was placed (or after the floor first saw it). */
const minCloseDelayMs = 20_000;
const maxCloseDelayMs = 180_000;
const refundRate = 0.05;
/**
 * After a stall longer than this (laptop asleep, process stopped in a debugger) the missed arrivals
 * are skipped rather than inserted in one burst of backdated orders.
 */
const maxCatchUpMs = 60_000;
/** After a failed write (another process holding the write lock), wait this long before retrying. */
const retryDelayMs = 5_000;
/** setTimeout's largest delay. */
const maxTimerMs = 2_147_483_647;

/**
 * The simulated sales floor of demo mode: orders arrive as a Poisson process (exponential gaps with
 * mean 60/rate seconds) and each open order is closed, or now and then refunded, a little later.
 *
 * Determinism: the seed drives three independent streams (order contents, gaps, closings), so the
 * sequence of orders (agent, customer, total) is the same for a seed however the timers happen to
 * fire, and a failed write is retried with the same orders. Only the timestamps come from the clock.
 */
export class SalesFloor {
  private readonly db: Database;
  private readonly meanGapMs: number;
  private readonly onChange: (tables: string[]) => void;
  private readonly onError: (error: unknown) => void;
  private readonly clock: () => number;
  private readonly orderRng: Random;
  private readonly gapRng: Random;
  private readonly closingRng: Random;
  private readonly maker: OrderMaker;
  private readonly closings = new DueQueue<Closing>();
  private readonly insertOrder: Statement<[number, string, number, string]>;
  private readonly settleOrder: Statement<[Closing['outcome'], number]>;
  private nextArrivalAt: number;
  private retryAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(options: SalesFloorOptions) {
    const { db, rate, seed } = options;
    if (!Number.isFinite(rate) || rate < 0) throw new RangeError(`rate must be >= 0, got ${rate}`);
    this.db = db;
    this.meanGapMs = rate === 0 ? Infinity : 60_000 / rate;
    this.onChange = options.onChange;
    this.onError = options.onError ?? ((error) => console.error('sales floor:', error));
    this.clock = options.now ?? Date.now;
    this.orderRng = new Random(`${String(seed)}:orders`);
    this.gapRng = new Random(`${String(seed)}:gaps`);
    this.closingRng = new Random(`${String(seed)}:closings`);
    this.insertOrder = db.prepare<[number, string, number, string]>(
      "INSERT INTO orders (agent_id, customer_name, total, status, created_at) VALUES (?, ?, ?, 'open', ?)",
    );
    // Only still-open orders: someone may have settled it from the sqlite3 shell meanwhile.
    this.settleOrder = db.prepare<[Closing['outcome'], number]>(
      "UPDATE orders SET status = ? WHERE id = ? AND status = 'open'",
    );
    this.maker = new OrderMaker(
      db.prepare<[], AgentRow>('SELECT id, name, team FROM agents ORDER BY id').all(),
    );

    const now = this.clock();
    this.nextArrivalAt = now + this.gap();
    // Orders left open by the history seeder or a previous run would otherwise stay open forever.
    const open = db
      .prepare<[], { id: number }>("SELECT id FROM orders WHERE status = 'open' ORDER BY id")
      .all();
    for (const { id } of open) this.scheduleClosing(id, now);
  }

  /** Starts the timers. The timer never keeps the process alive on its own. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** When the next arrival or closing is due (epoch ms), or undefined if nothing ever will be. */
  nextEventAt(): number | undefined {
    const next = Math.min(this.nextArrivalAt, this.closings.peek()?.at ?? Infinity);
    return Number.isFinite(next) ? next : undefined;
  }

  /** Closings scheduled and not yet done (an order settled meanwhile from the shell still counts). */
  get pendingClosings(): number {
    return this.closings.size;
  }

  /**
   * Performs everything due up to `now` in one transaction, then reports the change. The timers
   * call this; tests call it directly with their own times. Throws if the write fails, with the
   * in-memory schedule and random streams rewound to match the database.
   */
  tick(now: number = this.clock()): TickResult {
    if (now - this.nextArrivalAt > maxCatchUpMs) this.nextArrivalAt = now + this.gap();
    const before = this.nextArrivalAt;
    const streams = [this.orderRng, this.gapRng, this.closingRng];
    const states = streams.map((rng) => rng.snapshot());
    const taken: Closing[] = [];
    const added: Closing[] = [];
    let result: TickResult;
    try {
      result = this.db.transaction(() => this.runDue(now, taken, added))();
    } catch (error) {
      // Rolled back: undo the schedule changes too, or rowids reused by later inserts would be
      // closed early and the lost closings never happen. Rewinding the random streams makes the
      // retry insert the very orders that failed, so a seed's sequence survives a busy database.
      for (const closing of added) this.closings.remove(closing);
      for (const closing of taken) this.closings.push(closing);
      this.nextArrivalAt = before;
      streams.forEach((rng, i) => rng.restore(states[i] as RandomState));
      throw error;
    }
    if (result.inserted + result.closed + result.refunded > 0) {
      // The write is committed whatever the listener does: its failure is reported, not thrown,
      // so it is never mistaken for a failed write.
      try {
        this.onChange(['orders']);
      } catch (error) {
        this.onError(error);
      }
    }
    return result;
  }

  private runDue(now: number, taken: Closing[], added: Closing[]): TickResult {
    const result: TickResult = { inserted: 0, closed: 0, refunded: 0 };
    for (;;) {
      const closing = this.closings.peek();
      // Earliest event first; on a tie the arrival goes first.
      if (this.nextArrivalAt <= now && (!closing || this.nextArrivalAt <= closing.at)) {
        const at = this.nextArrivalAt;
        const id = this.insert(this.maker.make(this.orderRng), at);
        added.push(this.scheduleClosing(id, at));
        this.nextArrivalAt = at + this.gap();
        result.inserted += 1;
      } else if (closing && closing.at <= now) {
        this.closings.pop();
        taken.push(closing);
        if (this.settleOrder.run(closing.outcome, closing.orderId).changes > 0) {
          result[closing.outcome] += 1;
        }
      } else {
        return result;
      }
    }
  }

  private insert(draft: OrderDraft, at: number): number {
    const createdAt = new Date(Math.floor(at)).toISOString();
    const info = this.insertOrder.run(draft.agentId, draft.customerName, draft.total, createdAt);
    return Number(info.lastInsertRowid);
  }

  private scheduleClosing(orderId: number, from: number): Closing {
    const closing: Closing = {
      at: from + this.closingRng.uniform(minCloseDelayMs, maxCloseDelayMs),
      orderId,
      outcome: this.closingRng.chance(refundRate) ? 'refunded' : 'closed',
    };
    this.closings.push(closing);
    return closing;
  }

  private gap(): number {
    return Number.isFinite(this.meanGapMs) ? this.gapRng.exponential(this.meanGapMs) : Infinity;
  }

  private schedule(): void {
    if (!this.running) return;
    const next = this.retryAt ?? this.nextEventAt();
    if (next === undefined) return; // rate 0 and nothing left open: nothing will ever happen
    const delay = Math.min(maxTimerMs, Math.max(0, next - this.clock()));
    this.timer = setTimeout(this.onTimer, delay);
    // The demo server's sockets keep the process alive; the floor alone must not.
    this.timer.unref();
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.retryAt = undefined;
    try {
      this.tick();
    } catch (error) {
      this.retryAt = this.clock() + retryDelayMs;
      this.onError(error);
    }
    this.schedule();
  };
}
