import type pg from 'pg';
import type { FeedCatalog, RelationKind, TableRef, TriggerInfo } from './FeedCatalog.js';
import { planTables } from './planTables.js';
import { withPooledClient } from './postgresLease.js';
import { assertSingleStatement, validTimeout } from './queryGuards.js';

const RELKIND: Record<string, RelationKind> = {
  r: 'table',
  p: 'partitioned',
  v: 'view',
  m: 'matview',
  f: 'foreign',
};

/** Catalog lookups for the notify-feed verification, on the section pool, with parameters. */
export function postgresCatalog(pool: pg.Pool, deadlineMs: number): FeedCatalog {
  const lookup = <T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
    withPooledClient(pool, deadlineMs, what, ({ client }) => work(client));

  return {
    planTables: (sql, timeoutMs) =>
      lookup('explain', async (client) => {
        assertSingleStatement(sql);
        await client.query('BEGIN READ ONLY');
        try {
          await client.query(`SET LOCAL statement_timeout = ${validTimeout(timeoutMs)}`);
          const plan = await client.query<{ 'QUERY PLAN': unknown }>(
            `EXPLAIN (FORMAT JSON, VERBOSE) ${sql}`,
          );
          const tables = planTables(plan.rows[0]?.['QUERY PLAN']);
          // A partition's changes reach triggers on the partitioned table it belongs to.
          const roots = await client.query<{ schema: string; name: string }>(
            `SELECT DISTINCT n.nspname AS schema, c.relname AS name
               FROM unnest($1::text[], $2::text[]) AS t(schema, name)
               JOIN pg_namespace tn ON tn.nspname = t.schema
               JOIN pg_class tc ON tc.relnamespace = tn.oid AND tc.relname = t.name
               JOIN pg_class c ON c.oid = coalesce(pg_partition_root(tc.oid), tc.oid)
               JOIN pg_namespace n ON n.oid = c.relnamespace`,
            [tables.map((t) => t.schema), tables.map((t) => t.name)],
          );
          await client.query('COMMIT');
          return roots.rows.map((r) => ({ schema: r.schema, name: r.name }));
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),

    resolve: (name) =>
      lookup('catalog', async (client) => {
        const result = await client
          .query<{ schema: string; name: string; relkind: string }>(
            `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.oid = to_regclass($1)`,
            [name],
          )
          .catch((error: unknown) => {
            // A name that cannot be a relation here (a.b.c: another database) names none.
            if (isNameError(error)) return { rows: [] };
            throw error;
          });
        const row = result.rows[0];
        if (!row) return undefined;
        return { schema: row.schema, name: row.name, kind: RELKIND[row.relkind] ?? 'other' };
      }),

    triggers: (table: TableRef) =>
      lookup('catalog', async (client) => {
        const result = await client.query<{
          name: string;
          type: number;
          enabled: string;
          source: string;
        }>(
          `SELECT t.tgname AS name, t.tgtype::int AS type, t.tgenabled::text AS enabled,
                  p.prosrc AS source
             FROM pg_trigger t
             JOIN pg_class c ON c.oid = t.tgrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE n.nspname = $1 AND c.relname = $2 AND NOT t.tgisinternal
            ORDER BY t.tgname`,
          [table.schema, table.name],
        );
        return result.rows.map((r): TriggerInfo => ({
          name: r.name,
          type: r.type,
          enabled: r.enabled,
          functionSource: r.source,
        }));
      }),

    executeInTransaction: (sql) =>
      lookup('install', async (client) => {
        // READ WRITE: pooled sessions default to read-only once a section query ran on them.
        await client.query('BEGIN READ WRITE');
        try {
          await client.query(sql);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
  };
}

/** SQLSTATE classes 42 (syntax, names) and 0A (not supported, e.g. cross-database references). */
function isNameError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(42|0A)/.test(code);
}
