import type pg from 'pg';
import { cappedResult } from './cappedResult.js';
import type { QueryOptions, QueryResult } from './DataSource.js';
import { CappedRead, type CappedStatement, type StatementRows } from './postgresCappedRead.js';
import { withPooledClient, type Lease } from './postgresLease.js';
import { jsonTypes, toColumns, toRow } from './postgresTypes.js';
import { asError, guardQuery } from './queryGuards.js';

/**
 * The server enforces statement_timeout; this client-side margin only catches a connection that
 * stopped answering altogether (then the client is destroyed rather than waited on forever).
 */
const CLIENT_GRACE_MS = 2_000;
/**
 * A statement either answers or is cancelled by the server within its statement_timeout: a
 * connection silent for longer than that plus this margin belongs to a server that stopped
 * answering, and the read fails then (within timeout + 1 s, issue 15), whatever its batch's size.
 */
const SILENCE_GRACE_MS = 500;

/** The statement timeout each pooled session was given (read-only comes with it). */
const sessionTimeouts = new WeakMap<pg.ClientBase, number>();

/** Command tags of reads that leave the session as it was. */
const READ_COMMANDS = new Set(['SELECT', 'SHOW', 'EXPLAIN', 'FETCH', undefined]);

/** A section read whose SQL and limits passed guardQuery. */
export interface ReadRequest {
  sql: string;
  timeoutMs: number;
  maxRows: number;
  /** Opsdeck's own SQL (all rows kept), run just before in the same transaction; may fail alone. */
  before: string | undefined;
}

export interface ReadAnswer {
  result: QueryResult;
  /** The rows of `before`; undefined without one, or when it failed (the read was made without). */
  before: Record<string, unknown>[] | undefined;
}

export type ReadOutcome = { ok: true; answer: ReadAnswer } | { ok: false; error: Error };

/** Checks a read before anything is sent (guardQuery); throws what the read would reject with. */
export function readRequest(sql: string, options: QueryOptions, before?: string): ReadRequest {
  const { timeoutMs, maxRows } = guardQuery(sql, options);
  return { sql, timeoutMs, maxRows, before };
}

/** One section query alone (runReads). */
export async function runQuery(
  pool: pg.Pool,
  sql: string,
  options: QueryOptions,
): Promise<QueryResult> {
  return (await runRead(pool, sql, options)).result;
}

/** runQuery, with `before` (Opsdeck's own SQL) first in the same round trip and transaction. */
export async function runRead(
  pool: pg.Pool,
  sql: string,
  options: QueryOptions,
  before?: string,
): Promise<ReadAnswer> {
  const [outcome] = await runReads(pool, [readRequest(sql, options, before)]);
  if (!outcome) throw new Error('unreachable: one read, one outcome');
  if (!outcome.ok) throw outcome.error;
  return outcome.answer;
}

interface Pending {
  read: ReadRequest;
  index: number;
  withBefore: boolean;
}

/**
 * Section reads that share one statement timeout, on a pooled session that is read-only
 * (default_transaction_read_only) and has that server-side statement_timeout, both set once per
 * connection (again only if a read asks for another timeout). All of them go in one round trip
 * and one implicit transaction: no BEGIN, SET LOCAL or COMMIT, at most maxRows + 1 rows fetched
 * of each (see CappedRead).
 *
 * An error aborts the implicit transaction: the reads before it keep their answers, the failing
 * one gets its error (unless only its `before` failed: then it is made again without it), and the
 * ones after it, never run, are made again together (on another connection if this one was lost).
 * A read that could have changed the session (a non-read command, a reported change of
 * default_transaction_read_only) returns its connection destroyed, never pooled.
 *
 * `onAnswer` hears of each read whose statement completed as it does (its rows are final then:
 * the transaction is read-only), so a quick section is not held behind a slow one of its batch.
 */
export async function runReads(
  pool: pg.Pool,
  reads: readonly ReadRequest[],
  /** Each successful read as soon as its rows are in, before the others of the batch. */
  onAnswer: (index: number, answer: ReadAnswer) => void = () => undefined,
): Promise<ReadOutcome[]> {
  const outcomes: (ReadOutcome | undefined)[] = reads.map(() => undefined);
  const timeoutMs = reads[0]?.timeoutMs ?? 0;
  if (reads.some((r) => r.timeoutMs !== timeoutMs)) throw new Error('one timeout per batch');
  let pending: Pending[] = reads.map((read, index) => ({
    read,
    index,
    withBefore: read.before !== undefined,
  }));
  while (pending.length > 0) {
    const statements = pending.reduce((n, p) => n + (p.withBefore ? 2 : 1), 0);
    const sent = pending;
    try {
      pending = await withPooledClient(
        pool,
        statements * timeoutMs + CLIENT_GRACE_MS,
        'query',
        async (lease) => {
          await prepareSession(lease.client, timeoutMs);
          let left = sent;
          while (left.length > 0 && !lease.broken)
            left = await attempt(lease, left, outcomes, onAnswer);
          return left;
        },
        timeoutMs + SILENCE_GRACE_MS,
      );
    } catch (error) {
      // No connection, the deadline passed, or the session could not be set up.
      for (const p of sent) outcomes[p.index] ??= { ok: false, error: asError(error) };
      pending = [];
    }
  }
  return outcomes.map((o) => o ?? { ok: false, error: new Error('unreachable: read not made') });
}

async function prepareSession(client: pg.PoolClient, timeoutMs: number): Promise<void> {
  if (sessionTimeouts.get(client) === timeoutMs) return;
  sessionTimeouts.delete(client);
  // One simple-query round trip, once per connection: both settings last for the session.
  await client.query(
    `SET default_transaction_read_only = on; SET statement_timeout = ${timeoutMs}`,
  );
  sessionTimeouts.set(client, timeoutMs);
}

/** One round trip for these reads; returns those to make again. */
async function attempt(
  lease: Lease,
  left: readonly Pending[],
  outcomes: (ReadOutcome | undefined)[],
  onAnswer: (index: number, answer: ReadAnswer) => void,
): Promise<Pending[]> {
  const statements: CappedStatement[] = [];
  /** Statement index -> the read it answers (its main statement, not its `before`). */
  const mains = new Map<number, Pending>();
  for (const p of left) {
    if (p.withBefore && p.read.before !== undefined)
      statements.push({ text: p.read.before, limit: 0 });
    mains.set(statements.length, p);
    statements.push({ text: p.read.sql, limit: p.read.maxRows + 1 });
  }
  const early = (index: number, rows: StatementRows): void => {
    const p = mains.get(index);
    if (!p || outcomes[p.index]) return;
    const made = answer(lease, p, rows, p.withBefore ? read.completed[index - 1] : undefined);
    outcomes[p.index] = { ok: true, answer: made };
    onAnswer(p.index, made);
  };
  const read: CappedRead = new CappedRead(statements, jsonTypes, early);
  lease.client.query(read);
  let error: Error | undefined;
  try {
    await read.done;
  } catch (e) {
    error = asError(e);
    if (read.lostConnection) lease.broken ??= error;
  }
  const readOnly = read.parameters.get('default_transaction_read_only');
  if (readOnly !== undefined && readOnly !== 'on') {
    lease.broken ??= new Error('section SQL changed default_transaction_read_only: session reset');
  }
  // A query that calls set_config() can change the session's timeout: set it again next time.
  if (left.some((p) => /set_config/i.test(p.read.sql))) sessionTimeouts.delete(lease.client);
  const answers = read.completed;
  const failed = error ? (read.failedStatement ?? answers.length) : statements.length;
  const again: Pending[] = [];
  let at = 0;
  for (const p of left) {
    const first = at;
    const main = first + (p.withBefore ? 1 : 0);
    at = main + 1;
    const rows = answers[main];
    if (main < failed && rows)
      outcomes[p.index] ??= { ok: true, answer: answer(lease, p, rows, answers[first]) };
    else if (failed < first)
      again.push(p); // skipped by the failure before it
    else if (failed < main && !read.lostConnection) again.push({ ...p, withBefore: false });
    else outcomes[p.index] ??= { ok: false, error: error ?? new Error('read got no answer') };
  }
  return again;
}

function answer(
  lease: Lease,
  p: Pending,
  result: StatementRows,
  before: StatementRows | undefined,
): ReadAnswer {
  if (!READ_COMMANDS.has(result.command)) {
    lease.broken ??= new Error(`section SQL ran ${result.command ?? 'a command'}: session reset`);
  }
  return {
    result: cappedResult(toColumns(result.fields), result.rows, p.read.maxRows, toRow),
    before: p.withBefore ? before?.rows : undefined,
  };
}
