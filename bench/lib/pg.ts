import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Scope } from './scope.js';

/** Trust authentication on these machines (docs/testing.md): the conventional user first. */
const USERS = ['postgres', 'root'];
const HOST = '127.0.0.1';
const PORT = 5432;

export interface BenchDatabase {
  name: string;
  /** For the server under test. */
  url: string;
  /** A connection of the benchmark itself (setup and writes). Its transactions are counted too. */
  client: pg.Client;
}

async function connectAs(database: string): Promise<{ client: pg.Client; user: string }> {
  let last: unknown;
  for (const user of USERS) {
    const client = new pg.Client({
      host: HOST,
      port: PORT,
      user,
      database,
      connectionTimeoutMillis: 3000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return { client, user };
    } catch (error) {
      last = error;
      await client.end().catch(() => undefined);
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

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

  async counters(names: string[]): Promise<Map<string, { queries: number; sessions: number }>> {
    const result = await this.client.query<{ datname: string; x: string; s: string }>(
      `SELECT datname, (xact_commit + xact_rollback)::text AS x, sessions::text AS s
       FROM pg_stat_database WHERE datname = ANY($1)`,
      [names],
    );
    return new Map(
      result.rows.map((r) => [
        r.datname,
        { queries: Number(r.x) - Number(r.s), sessions: Number(r.s) },
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
  const maintenance = await connectAs('postgres');
  try {
    await maintenance.client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await maintenance.client.end();
  }
  scope.defer(`drop database ${name}`, () => dropDatabase(name));
  if (seed) {
    const setup = await connectAs(name);
    try {
      await seed(setup.client);
    } finally {
      await setup.client.end();
    }
  }
  const { client, user } = await connectAs(name);
  scope.defer(`close connection to ${name}`, () => client.end().catch(() => undefined));
  return { name, url: `postgres://${user}@${HOST}:${PORT}/${name}`, client };
}

async function dropDatabase(name: string): Promise<void> {
  const { client } = await connectAs('postgres');
  try {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** Is PostgreSQL there at all (for a clear message instead of a stack)? */
export async function postgresAvailable(): Promise<string | undefined> {
  try {
    const { client } = await connectAs('postgres');
    await client.end();
    return undefined;
  } catch (error) {
    return `PostgreSQL not reachable on ${HOST}:${PORT}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
