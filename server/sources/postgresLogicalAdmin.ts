import pg from 'pg';
import type { TableRef } from './FeedCatalog.js';

/** What logical mode needs of the server and the role, read by `check` and at serve's start. */
export interface LogicalPrerequisites {
  walLevel: string;
  /** PostgreSQL major version (server_version_num / 10000). */
  version: number;
  role: string;
  superuser: boolean;
  replication: boolean;
  maxReplicationSlots: number;
  /** Slots in use, this feed's own slot not counted. */
  otherSlots: number;
  maxWalSenders: number;
  /** WAL senders running (streaming replicas, other logical consumers). */
  walSenders: number;
  slot?: SlotInfo;
  publication?: PublicationInfo;
  /** This role may create the publication (it owns every watched table, or is superuser). */
  ownsTables: boolean;
}

export interface SlotInfo {
  plugin: string;
  database: string;
  /** The pid of the walsender streaming from it, when one does. */
  activePid?: number;
  /** WAL the slot retains (bytes), from restart_lsn. */
  retainedBytes?: number;
}

export interface PublicationInfo {
  allTables: boolean;
  /** The tables it publishes. */
  tables: TableRef[];
  /** It publishes inserts, updates, deletes (and truncates, PG 11+). */
  actions: { insert: boolean; update: boolean; delete: boolean; truncate: boolean };
}

/**
 * Catalog reads and the few statements logical mode runs outside the stream: slot and publication
 * creation, retained WAL. Each call opens one short connection (they run at start, at the safety
 * re-check and in `check`; never per change) and touches no user table.
 */
export class PostgresLogicalAdmin {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async prerequisites(
    slot: string,
    publication: string,
    tables: readonly TableRef[],
  ): Promise<LogicalPrerequisites> {
    return this.with(async (c) => {
      const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => {
        const row = (await c.query(sql, params)).rows[0] as T | undefined;
        if (row === undefined) throw new Error(`no row from: ${sql}`);
        return row;
      };
      const s = await one<Record<string, string | boolean>>(
        `SELECT current_setting('wal_level') AS wal, current_setting('server_version_num') AS v,
                current_user AS role, r.rolsuper AS su, r.rolreplication AS repl,
                current_setting('max_replication_slots') AS slots,
                current_setting('max_wal_senders') AS senders,
                (SELECT count(*) FROM pg_replication_slots WHERE slot_name <> $1)::text AS used,
                (SELECT count(*) FROM pg_stat_replication)::text AS running
           FROM pg_roles r WHERE r.rolname = current_user`,
        [slot],
      );
      const owned = await one<{ n: string }>(
        `SELECT count(*)::text AS n FROM unnest($1::text[], $2::text[]) AS t(schema, name)
           JOIN pg_namespace n ON n.nspname = t.schema
           JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.name
          WHERE pg_has_role(c.relowner, 'USAGE')`,
        [tables.map((t) => t.schema), tables.map((t) => t.name)],
      );
      const info: LogicalPrerequisites = {
        walLevel: String(s['wal']),
        version: Math.floor(Number(s['v']) / 10000),
        role: String(s['role']),
        superuser: s['su'] === true,
        replication: s['repl'] === true,
        maxReplicationSlots: Number(s['slots']),
        otherSlots: Number(s['used']),
        maxWalSenders: Number(s['senders']),
        walSenders: Number(s['running']),
        ownsTables: s['su'] === true || Number(owned.n) === tables.length,
      };
      const slotInfo = await readSlot(c, slot);
      if (slotInfo) info.slot = slotInfo;
      const pub = await readPublication(c, publication, info.version);
      if (pub) info.publication = pub;
      return info;
    });
  }

  /** The slot, or undefined when it does not exist. */
  slot(slot: string): Promise<SlotInfo | undefined> {
    return this.with((c) => readSlot(c, slot));
  }

  /** Creates the slot (pgoutput) unless it exists; true when it was created now. */
  ensureSlot(slot: string): Promise<boolean> {
    return this.with(async (c) => {
      if (await readSlot(c, slot)) return false;
      try {
        await c.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
        return true;
      } catch (error) {
        // Another node created it meanwhile.
        if ((error as { code?: string }).code === '42710') return false;
        throw error;
      }
    });
  }

  /** Creates the publication for these tables unless it exists; true when it was created now. */
  ensurePublication(publication: string, tables: readonly TableRef[]): Promise<boolean> {
    return this.with(async (c) => {
      const found = await c.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
      if (found.rowCount) return false;
      try {
        await c.query(createPublicationSql(publication, tables));
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === '42710') return false;
        throw error;
      }
    });
  }

  /** Ends the walsender holding the slot (a former leader's, whose lease has expired). */
  terminate(pid: number): Promise<void> {
    return this.with(async (c) => {
      await c.query('SELECT pg_terminate_backend($1)', [pid]);
    });
  }

  private async with<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.timeoutMs,
      statement_timeout: this.timeoutMs,
      application_name: 'opsdeck-logical',
    });
    client.on('error', () => undefined); // a query in flight reports it
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** `CREATE PUBLICATION name FOR TABLE a, b` (inserts, updates, deletes, truncates). */
export function createPublicationSql(publication: string, tables: readonly TableRef[]): string {
  return `CREATE PUBLICATION ${pg.escapeIdentifier(publication)} FOR TABLE ${tableList(tables)};`;
}

export function addToPublicationSql(publication: string, tables: readonly TableRef[]): string {
  return `ALTER PUBLICATION ${pg.escapeIdentifier(publication)} ADD TABLE ${tableList(tables)};`;
}

function tableList(tables: readonly TableRef[]): string {
  return tables
    .map((t) => `${pg.escapeIdentifier(t.schema)}.${pg.escapeIdentifier(t.name)}`)
    .join(', ');
}

async function readSlot(c: pg.Client, slot: string): Promise<SlotInfo | undefined> {
  const r = await c.query<{ plugin: string; db: string; pid: number | null; bytes: string | null }>(
    `SELECT plugin, database AS db, active_pid AS pid,
            pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text AS bytes
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    plugin: row.plugin,
    database: row.db,
    ...(row.pid !== null ? { activePid: row.pid } : {}),
    ...(row.bytes !== null ? { retainedBytes: Number(row.bytes) } : {}),
  };
}

async function readPublication(
  c: pg.Client,
  publication: string,
  version: number,
): Promise<PublicationInfo | undefined> {
  const truncate = version >= 11 ? 'pubtruncate' : 'false';
  const r = await c.query<Record<string, boolean>>(
    `SELECT puballtables AS all, pubinsert AS i, pubupdate AS u, pubdelete AS d, ${truncate} AS t
       FROM pg_publication WHERE pubname = $1`,
    [publication],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  const tables = await c.query<TableRef>(
    'SELECT schemaname AS schema, tablename AS name FROM pg_publication_tables WHERE pubname = $1',
    [publication],
  );
  return {
    allTables: row['all'] === true,
    tables: tables.rows.map((t) => ({ schema: t.schema, name: t.name })),
    actions: {
      insert: row['i'] === true,
      update: row['u'] === true,
      delete: row['d'] === true,
      truncate: row['t'] === true,
    },
  };
}
