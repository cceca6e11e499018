import type { ReadAnswer, ReadOutcome, ReadRequest } from './postgresQuery.js';
import { asError } from './queryGuards.js';

/** The most reads one round trip takes. */
const MAX_BATCH = 16;

interface Queued {
  request: ReadRequest;
  resolve: (answer: ReadAnswer) => void;
  reject: (error: Error) => void;
}

/**
 * Gathers the section reads asked for in one turn of the event loop and sends them in as few
 * batches as the pool can run side by side (runReads: each batch one round trip and one implicit
 * transaction on one pooled connection). The three sections of a change on a pool of five are
 * three reads at once, each answered as soon as its own query is done: a batch's answers all
 * wait for its slowest statement, since the backend runs them one after the other, and measured
 * against a plain server that runs the queries side by side, one batch made the first section of
 * a change arrive twice as late (BENCHMARKS.md, scenario 10). Beyond the pool's size the reads
 * share round trips (a dashboard of forty sections costs five transactions, not forty). The reads of one
 * change notification are asked for in one turn: each section's RefreshScheduler fires from a timer
 * armed at the same moment with the same delay, so Node runs those timers in the same timers
 * phase (each read reaches `read` synchronously from its timer), and the batch leaves from the
 * check phase that follows (setImmediate), before any I/O is awaited. The same holds for the
 * re-check's counters and the reads it makes at once (TableCounterRecheck).
 *
 * Only reads with the same statement timeout (a setting of the session) share a batch, and only
 * plain queries (SELECT, WITH, VALUES, TABLE, never set_config()), so that no statement can change
 * what the next one sees; any other read goes alone, as before.
 */
export class ReadBatcher {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(
    private readonly run: (reads: readonly ReadRequest[]) => Promise<ReadOutcome[]>,
    /** How many batches may run at once: the pool's size. */
    private readonly parallel = 1,
  ) {}

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
    for (const batch of batches(queued, this.parallel)) void this.send(batch);
  }

  private async send(batch: readonly Queued[]): Promise<void> {
    let outcomes: ReadOutcome[];
    try {
      outcomes = await this.run(batch.map((q) => q.request));
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

/**
 * The queued reads in batches, in the order they were asked for: those that may share a
 * transaction grouped by statement timeout, each group dealt out to at most `parallel` batches
 * (of MAX_BATCH reads at most); any other read alone.
 */
export function batches<T extends { request: ReadRequest }>(
  queued: readonly T[],
  parallel: number,
): T[][] {
  const all: T[][] = [];
  const groups = new Map<number, T[]>();
  for (const q of queued) {
    if (!sharesTransaction(q.request.sql)) {
      all.push([q]);
      continue;
    }
    const group = groups.get(q.request.timeoutMs) ?? [];
    groups.set(q.request.timeoutMs, group);
    group.push(q);
  }
  for (const group of groups.values()) {
    const count = Math.max(Math.min(parallel, group.length), Math.ceil(group.length / MAX_BATCH));
    const size = Math.ceil(group.length / count);
    for (let i = 0; i < group.length; i += size) all.push(group.slice(i, i + size));
  }
  return all;
}

/** A plain query (leading comments skipped) that calls no set_config(). */
export function sharesTransaction(sql: string): boolean {
  const body = sql.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^(select|with|values|table)\b/i.test(body) && !/set_config/i.test(sql);
}
