import type { Database } from 'better-sqlite3';

/**
 * The demo database's tables exactly as docs/demo.md documents them. People query this
 * database from the sqlite3 shell, so the column names and the status values are public.
 */
const tables = `
CREATE TABLE IF NOT EXISTS agents (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  team TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
  id INTEGER PRIMARY KEY,
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  customer_name TEXT NOT NULL,
  total REAL NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','closed','refunded')),
  created_at TEXT NOT NULL -- ISO 8601 UTC, e.g. 2026-11-22T10:15:03.120Z
);
`;

/** The indexes of `orders`, by name (the history seeder rebuilds them after its bulk insert). */
const indexes: Readonly<Record<string, string>> = {
  // "today", "last 30 days" and "newest 10" are all ranges or orderings on created_at.
  orders_created_at: 'orders(created_at)',
  // The per-agent section joins on it, and foreign key checks on agents use it.
  orders_agent_id: 'orders(agent_id)',
  // The open-orders count, and the sales floor looking for orders to close.
  orders_status: 'orders(status)',
};

/** Creates the indexes of `orders` that are missing. */
export function createDemoIndexes(db: Database): void {
  for (const [name, on] of Object.entries(indexes))
    db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${on}`);
}

/**
 * Drops the indexes of `orders`: inserting a month of orders and then building each index once (a
 * sort) costs about half as much as keeping three indexes up to date row by row. Only inside the
 * seeding transaction, which creates them again before it commits.
 */
export function dropDemoIndexes(db: Database): void {
  for (const name of Object.keys(indexes)) db.exec(`DROP INDEX IF EXISTS ${name}`);
}

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
export const demoBusyTimeoutMs = 2000;

/**
 * Creates the demo tables and indexes if they do not exist yet, and sets the connection up so that
 * another process (typically the sqlite3 shell) can write while the server reads.
 */
export function applyDemoSchema(db: Database): void {
  // WAL: readers never block the writer and the writer never blocks readers, so the server's section
  // queries and someone's INSERT in the sqlite3 shell proceed side by side. The mode is stored in the
  // file, so the shell opening it later uses WAL too.
  db.pragma('journal_mode = WAL');
  // Two writers (our sales floor and the shell) still take turns; wait briefly instead of failing at
  // once. Kept short because better-sqlite3 waits synchronously, on the event loop.
  db.pragma(`busy_timeout = ${demoBusyTimeoutMs}`);
  // In WAL mode NORMAL is still crash-safe (only the last commits may be lost on power failure),
  // and it spares an fsync per sales-floor insert. Fine for demo data.
  db.pragma('synchronous = NORMAL');
  // better-sqlite3 already turns this on by default; say so explicitly, the schema relies on it.
  db.pragma('foreign_keys = ON');
  db.exec(tables);
  createDemoIndexes(db);
}
