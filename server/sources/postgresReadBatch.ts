import type { ReadAnswer, ReadOutcome, ReadRequest } from './postgresQuery.js';
import { asError } from './queryGuards.js';

/** The most reads one round trip takes: beyond that, the pool's other connections work too. */
const MAX_BATCH = 16;
/** The most statements whose last cost is remembered (sections are few; ad hoc SQL is not). */
const MAX_COSTS = 1000;

/** Runs reads in one round trip; `onAnswer` hears of each as its rows arrive. */
export type RunReads = (
  reads: readonly ReadRequest[],
  onAnswer: (index: number, answer: ReadAnswer) => void,
) => Promise<ReadOutcome[]>;

interface Queued {
  request: ReadRequest;
  resolve: (answer: ReadAnswer) => void;
  reject: (error: Error) => void;
}

/**
 * Gathers the section reads asked for in one turn of the event loop and sends them as one batch
 * (runReads: one round trip, one implicit transaction on one pooled connection). The reads of one
 * change notification are asked for in one turn: when the first of their sections' timers fires,
 * the engine starts every section due within 20 ms with it (SectionEngine's FIRE_TOGETHER_MS; Node
 * alone may fire timers armed together in two turns on a loaded machine), each read reaches `read`
 * synchronously, and the batch leaves from the check phase that follows (setImmediate), before any
 * I/O is awaited. The same holds for the re-check's counters and the reads it makes at once
 * (TableCounterRecheck).
 *
 * Only reads with the same statement timeout (a setting of the session) share a batch, and only
 * plain queries (SELECT, WITH, VALUES, TABLE, never set_config()), so that no statement can change
 * what the next one sees; any other read goes alone, as before.
 *
 * The backend runs a batch's statements one after the other, so each read is answered as soon as
 * its own rows are in, and the batch runs the cheapest first (by what each statement took last
 * time): a quick section is never held behind a slow one, as it would not be on a pool of its own.
 */
export class ReadBatcher {
  private queue: Queued[] = [];
  private scheduled = false;
  /** SQL -> about how long its statement takes (ms): see onAnswer in send(). */
  private readonly costs = new Map<string, number>();
  /** Batches sent and not yet ended (queued ones are sent in the next turn, then counted). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly run: RunReads) {}

  read(request: ReadRequest): Promise<ReadAnswer> {
    return new Promise<ReadAnswer>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /** Resolves when the batches sent or queued now have ended (every read of them answered). */
  async settled(): Promise<void> {
    if (this.scheduled) await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.all([...this.inFlight]);
  }

  private flush(): void {
    this.scheduled = false;
    const queued = this.queue;
    this.queue = [];
    for (const batch of batches(queued)) {
      const sent = this.send(batch).finally(() => this.inFlight.delete(sent));
      this.inFlight.add(sent);
    }
  }

  private async send(unordered: readonly Queued[]): Promise<void> {
    // Whole milliseconds: statements answered in the same network read differ by noise only.
    const cost = (q: Queued) => Math.floor(this.costs.get(q.request.sql) ?? 0);
    const batch = [...unordered].sort((a, b) => cost(a) - cost(b));
    let lastAt: number | undefined;
    const onAnswer = (index: number, answer: ReadAnswer): void => {
      const q = batch[index];
      if (!q) return;
      const now = performance.now();
      // The gap since the answer before it is at least what this statement took; it may also
      // hold this process's own work between the two answers (the fan-out of the section
      // answered before). The lower envelope of the gaps, allowed to rise a little each time, is
      // what the statement itself takes. The first answer's gap also holds the round trip and
      // the checkout: it only ever lowers what is known (a statement that runs first keeps what
      // it was measured at after another, or less).
      const sql = q.request.sql;
      const gap = now - (lastAt ?? sentAt);
      const known = this.costs.get(sql);
      if (known === undefined && this.costs.size >= MAX_COSTS) this.costs.clear();
      const rise = lastAt === undefined ? 0 : known === undefined ? Infinity : known * 0.25 + 0.5;
      this.costs.set(sql, known === undefined ? gap : Math.min(gap, known + rise));
      lastAt = now;
      q.resolve(answer);
    };
    const sentAt = performance.now();
    let outcomes: ReadOutcome[];
    try {
      outcomes = await this.run(
        batch.map((q) => q.request),
        onAnswer,
      );
    } catch (error) {
      outcomes = batch.map(() => ({ ok: false, error: asError(error) }));
    }
    batch.forEach((q, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) q.resolve(outcome.answer);
      else q.reject(outcome?.error ?? new Error('unreachable: read without outcome'));
    });
  }
}

/** The queued reads in batches, in the order they were asked for. */
function batches(queued: readonly Queued[]): Queued[][] {
  const all: Queued[][] = [];
  const open = new Map<number, Queued[]>();
  for (const q of queued) {
    if (!sharesTransaction(q.request.sql)) {
      all.push([q]);
      continue;
    }
    let batch = open.get(q.request.timeoutMs);
    if (!batch) {
      batch = [];
      all.push(batch);
      open.set(q.request.timeoutMs, batch);
    }
    batch.push(q);
    if (batch.length >= MAX_BATCH) open.delete(q.request.timeoutMs);
  }
  return all;
}

/** A plain query (leading comments skipped) that calls no set_config(). */
export function sharesTransaction(sql: string): boolean {
  const body = sql.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^(select|with|values|table)\b/i.test(body) && !/set_config/i.test(sql);
}
