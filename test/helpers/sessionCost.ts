/**
 * What some work costs a test database by PostgreSQL's own statistics (pg_stat_database): the
 * transactions and sessions, counted over whole sessions (a backend publishes its counts at exit
 * at the latest), read from another database so that reading them is never counted.
 */
import pg from 'pg';
import { expect, vi } from 'vitest';
import type { TestDatabase } from './services.js';

export interface SessionCost {
  /** Runs `work`, then the function it returns (which must end its connections). */
  cost(work: () => Promise<() => Promise<void>>): Promise<{ xacts: number; sessions: number }>;
  close(): Promise<void>;
}

/** The test database's own admin client (services.ts) stays connected throughout. */
const ADMIN_CONNECTIONS = 1;

export async function sessionCost(db: TestDatabase): Promise<SessionCost> {
  const stats = new pg.Client({
    connectionString: db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1'),
  });
  await stats.connect();
  await stats.query("SET stats_fetch_consistency = 'none'");
  const counters = async () => {
    const { rows } = await stats.query<{ x: string; s: string; n: number }>(
      // Client backends only: an autovacuum worker visiting the database is not a session.
      `SELECT (xact_commit + xact_rollback)::text AS x, sessions::text AS s,
              (SELECT count(*)::int FROM pg_stat_activity
                WHERE datname = $1 AND backend_type = 'client backend') AS n
         FROM pg_stat_database WHERE datname = $1`,
      [db.name],
    );
    return { x: Number(rows[0]?.x), s: Number(rows[0]?.s), n: Number(rows[0]?.n) };
  };
  /**
   * Waits until only the database's admin connection is left (an earlier test's backends may
   * still be exiting) and the exiting backends' final reports have landed: the transaction
   * count holds still between two reads.
   */
  const settle = async () => {
    await vi.waitFor(async () => expect((await counters()).n).toBe(ADMIN_CONNECTIONS), {
      timeout: 10_000,
    });
    let last = -1;
    await vi.waitFor(
      async () => {
        const now = (await counters()).x;
        const stable = now === last;
        last = now;
        expect(stable).toBe(true);
      },
      { timeout: 10_000, interval: 300 },
    );
    return counters();
  };
  return {
    async cost(work) {
      const before = await settle();
      const close = await work();
      await close();
      const after = await settle();
      return { xacts: after.x - before.x, sessions: after.s - before.s };
    },
    close: () => stats.end(),
  };
}
