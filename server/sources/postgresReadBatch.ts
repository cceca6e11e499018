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
 * change notification are asked for in one turn: each section's RefreshScheduler fires from a timer
 * armed at the same moment with the same delay, so Node runs those timers in the same timers
 * phase (each read reaches `read` synchronously from its timer), and the batch leaves from the
 * check phase that follows (setImmediate), before any I/O is awaited. The same holds for the
 * re-check's counters and the reads it makes at once (TableCounterRecheck).
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
  /** SQL -> how long its statement took in its last batch (ms). */
  private readonly costs = new Map<string, number>();

  constructor(private readonly run: RunReads) {}

  read(request: ReadRequest): Promise<ReadAnswer> {
    return new Promise<ReadAnswer>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queued = this.queue;
    this.queue = [];
    for (const batch of batches(queued)) void this.send(batch);
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
      // The gap since the statement before it is what this one took. The first one's time also
      // holds the round trip, so it is kept only for a statement never measured before.
      const sql = q.request.sql;
      if (lastAt !== undefined || !this.costs.has(sql)) {
        if (this.costs.size >= MAX_COSTS) this.costs.clear();
        this.costs.set(sql, now - (lastAt ?? sentAt));
      }
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
