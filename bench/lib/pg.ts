import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  connectPostgres,
  createPostgresDatabaseNamed,
  dropPostgresDatabase,
  PG_HOST,
  PG_PORT,
} from '../../testkit/postgres.js';
import type { Scope } from './scope.js';

export interface BenchDatabase {
  name: string;
  /** For the server under test. */
  url: string;
  /** A connection of the benchmark itself (setup and writes). Its transactions are counted too. */
  client: pg.Client;
}

const connectAs = (database: string) => connectPostgres(database);

/**
 * Reads PostgreSQL's own statistics from the maintenance database, so that reading them never
 * counts in the databases under test.
 */
export class PgStats {
  private constructor(private readonly client: pg.Client) {}

  static async open(scope: Scope): Promise<PgStats> {
    const { client } = await connectAs('postgres');
    // Every read sees the current shared statistics, not a snapshot cached in a transaction.
    await client.query("SET stats_fetch_consistency = 'none'");
    scope.defer('close statistics connection', () => client.end());
    return new PgStats(client);
  }

  /**
   * Statements the database executed for clients, per database: transactions committed + rolled
   * back (a statement outside an explicit transaction is one; a section query, BEGIN READ ONLY ..
   * COMMIT, is one) minus the sessions started (each new connection runs one transaction of its
   * own while it starts; those are counted apart, in `sessions`). A backend publishes its counts
   * when it goes idle, at most once a second (otherwise within 10 s), so callers space their
   * reads accordingly.
   */
  async transactions(names: string[]): Promise<Map<string, number>> {
    return new Map([...(await this.counters(names))].map(([k, v]) => [k, v.queries]));
  }

  /**
   * Per database: `total`, every transaction committed or rolled back (sessions' own start-up
   * transactions included); `queries`, the same minus the sessions started; `sessions`.
   */
  async counters(
    names: string[],
  ): Promise<Map<string, { total: number; queries: number; sessions: number }>> {
    const result = await this.client.query<{ datname: string; x: string; s: string }>(
      `SELECT datname, (xact_commit + xact_rollback)::text AS x, sessions::text AS s
       FROM pg_stat_database WHERE datname = ANY($1)`,
      [names],
    );
    return new Map(
      result.rows.map((r) => [
        r.datname,
        { total: Number(r.x), queries: Number(r.x) - Number(r.s), sessions: Number(r.s) },
      ]),
    );
  }

  async transactionsOf(name: string): Promise<number> {
    return (await this.transactions([name])).get(name) ?? 0;
  }
}

/**
 * A fresh database under a random name; dropped (connections terminated first) by the scope.
 * `seed` runs on a connection of its own that is closed afterwards, so its statistics are
 * published before any counting starts (a backend publishes them at exit at the latest).
 */
export async function createBenchDatabase(
  scope: Scope,
  label: string,
  seed?: (client: pg.Client) => Promise<void>,
): Promise<BenchDatabase> {
  const name = `opsdeck_bench_${label}_${randomBytes(4).toString('hex')}`;
  const url = await createPostgresDatabaseNamed(name);
  scope.defer(`drop database ${name}`, () => dropPostgresDatabase(name));
  if (seed) {
    const setup = await connectAs(name);
    try {
      await seed(setup.client);
    } finally {
      await setup.client.end();
    }
  }
  const { client } = await connectAs(name);
  scope.defer(`close connection to ${name}`, () => client.end().catch(() => undefined));
  return { name, url, client };
}

/** Is PostgreSQL there at all (for a clear message instead of a stack)? */
export async function postgresAvailable(): Promise<string | undefined> {
  try {
    const { client } = await connectAs('postgres');
    await client.end();
    return undefined;
  } catch (error) {
    return `PostgreSQL not reachable on ${PG_HOST}:${PG_PORT}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
