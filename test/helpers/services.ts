import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import mysql from 'mysql2/promise';
import { describe } from 'vitest';
import {
  connectPostgres as connectPostgresAs,
  createPostgresDatabaseNamed,
  dropPostgresDatabase,
  PG_HOST as HOST,
} from '../../testkit/postgres.js';

/**
 * The real services tests run against (docs/testing.md, "Services"): PostgreSQL and
 * MariaDB on their default local ports, Redis too. Every test database is created fresh under a
 * random name and dropped afterwards, so parallel runs never collide.
 */

export type ServiceName = 'postgres' | 'mysql' | 'redis';
export type Availability = { ok: true } | { ok: false; reason: string };

const MYSQL_PORT = 3306;
const REDIS_PORT = 6379;
const PROBE_TIMEOUT_MS = 2_000;

/** Runs one SQL statement (with optional parameters) and returns its rows. */
export type AdminQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface TestDatabase {
  name: string;
  /** URL for the code under test: no password (trust / empty password). */
  url: string;
  /** A superuser connection to the new database, for setting up tables and making changes. */
  admin: AdminQuery;
  /** Closes admin, ends every other connection to the database and drops it. */
  drop(): Promise<void>;
}

/** True when running in CI, where a missing service must fail the run instead of skipping. */
export function inCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

function uniqueName(): string {
  return `opsdeck_test_${randomBytes(6).toString('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const connectPostgres = (database: string) => connectPostgresAs(database, PROBE_TIMEOUT_MS);

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = uniqueName();
  const url = await createPostgresDatabaseNamed(name);
  const { client } = await connectPostgres(name);
  return {
    name,
    url,
    admin: async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows,
    async drop() {
      await client.end().catch(() => undefined);
      await dropPostgresDatabase(name);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// MySQL / MariaDB

function connectMysql(database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: HOST,
    port: MYSQL_PORT,
    user: 'root',
    password: '',
    ...(database !== undefined ? { database } : {}),
    connectTimeout: PROBE_TIMEOUT_MS,
  });
}

export async function createMysqlDatabase(): Promise<TestDatabase> {
  const name = uniqueName();
  const maintenance = await connectMysql();
  try {
    await maintenance.query(`CREATE DATABASE ${mysql.escapeId(name)}`);
  } finally {
    await maintenance.end();
  }
  const conn = await connectMysql(name);
  conn.on('error', () => undefined); // a killed admin connection must not crash the run
  return {
    name,
    url: `mysql://root@${HOST}:${MYSQL_PORT}/${name}`,
    admin: async (sql, params) => {
      const [result] = await conn.query(sql, params);
      return Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
    },
    async drop() {
      await conn.end().catch(() => undefined);
      const m = await connectMysql();
      try {
        // Open transactions elsewhere would block DROP DATABASE on metadata locks.
        const [rows] = await m.query<mysql.RowDataPacket[]>(
          'SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()',
          [name],
        );
        for (const row of rows) await m.query(`KILL ${Number(row['id'])}`).catch(() => undefined);
        await m.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(name)}`);
      } finally {
        await m.end();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Availability

const probes: Record<ServiceName, () => Promise<void>> = {
  async postgres() {
    const { client } = await connectPostgres('postgres');
    try {
      await client.query('SELECT 1');
    } finally {
      await client.end();
    }
  },
  async mysql() {
    const conn = await connectMysql();
    try {
      await conn.query('SELECT 1');
    } finally {
      await conn.end();
    }
  },
  redis: () => redisPing(HOST, REDIS_PORT),
};

const cache = new Map<ServiceName, Promise<Availability>>();

/** Whether a service answers on its default local port (memoised per process). */
export function serviceAvailable(name: ServiceName): Promise<Availability> {
  let result = cache.get(name);
  if (!result) {
    result = withTimeout(probes[name](), PROBE_TIMEOUT_MS * 2).then(
      (): Availability => ({ ok: true }),
      (err: unknown): Availability => ({
        ok: false,
        reason: `${name} not reachable: ${err instanceof Error ? err.message : String(err)}`,
      }),
    );
    cache.set(name, result);
  }
  return result;
}

/** Sends a RESP PING on a bare socket: no Redis client library needed just to probe. */
function redisPing(host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = '';
    socket.setTimeout(PROBE_TIMEOUT_MS, () => socket.destroy(new Error('timed out')));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (!reply.includes('\r\n')) return;
      socket.end();
      if (reply.startsWith('+PONG')) resolve();
      else reject(new Error(`unexpected reply ${JSON.stringify(reply.trim())}`));
    });
    socket.on('error', reject);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A describe block that needs a real service. Where the service is missing the suite is skipped
 * with the reason printed, except in CI, where this throws so the test file fails: CI machines
 * have every service, so a missing one is a broken machine, not a reason to pass.
 * Use with top-level await: `await describeWithService('postgres', 'title', () => { ... })`.
 */
export async function describeWithService(
  name: ServiceName,
  title: string,
  fn: () => void,
): Promise<void> {
  const availability = await serviceAvailable(name);
  if (!availability.ok) {
    if (inCi()) throw new Error(`${title}: ${availability.reason} (CI is set, so this fails)`);
    console.warn(`skipping "${title}": ${availability.reason}`);
  }
  describe.skipIf(!availability.ok)(title, fn);
}
