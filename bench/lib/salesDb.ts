import type pg from 'pg';

/**
 * The seed system's three dashboard sections (`sales`, `agents`, `recent`) in PostgreSQL form,
 * the schema they read and a history to read. The polling baseline runs exactly these queries.
 */
export const SALES_SECTIONS = [
  {
    id: 'sales',
    title: 'Revenue, last 30 days',
    view: { type: 'line', x: 'day', y: ['revenue', 'orders'] },
    sql: `SELECT date_trunc('day', created_at)::date AS day, sum(total) AS revenue, count(*) AS orders
FROM orders
WHERE created_at > now() - interval '30 days' AND status <> 'refunded'
GROUP BY 1 ORDER BY 1`,
    tables: ['orders'],
  },
  {
    id: 'agents',
    title: 'Agents',
    view: { type: 'bar', x: 'agent', y: ['closed', 'revenue', 'today'] },
    sql: `SELECT a.name AS agent,
  count(o.id) FILTER (WHERE o.status = 'closed') AS closed,
  coalesce(sum(o.total) FILTER (WHERE o.status <> 'refunded'), 0) AS revenue,
  count(o.id) FILTER (WHERE o.created_at >= date_trunc('day', now())) AS today
FROM agents a
LEFT JOIN orders o ON o.agent_id = a.id AND o.created_at > now() - interval '30 days'
GROUP BY a.name
ORDER BY revenue DESC, a.name`,
    tables: ['orders', 'agents'],
  },
  {
    id: 'recent',
    title: 'Latest orders',
    view: { type: 'table' },
    sql: `SELECT o.id, o.customer_name, a.name AS agent, o.total, o.status, o.created_at
FROM orders o LEFT JOIN agents a ON a.id = o.agent_id
ORDER BY o.id DESC LIMIT 10`,
    tables: ['orders', 'agents'],
  },
];

export const SALES_SECTION_IDS = SALES_SECTIONS.map((s) => s.id);

/** Tables, 12 agents, `orders` history over 30 days, and the notify trigger of `opsdeck check`. */
export async function seedSalesDatabase(client: pg.Client, orders: number): Promise<void> {
  await client.query(
    `CREATE TABLE agents (id serial PRIMARY KEY, name text NOT NULL, team text NOT NULL)`,
  );
  await client.query(`CREATE TABLE orders (
    id serial PRIMARY KEY,
    agent_id int NOT NULL REFERENCES agents(id),
    customer_name text NOT NULL,
    total numeric(10,2) NOT NULL,
    status text NOT NULL CHECK (status IN ('open','closed','refunded')),
    created_at timestamptz NOT NULL DEFAULT now())`);
  await client.query(`INSERT INTO agents (name, team)
    SELECT 'Agent ' || i, CASE WHEN i % 2 = 0 THEN 'North' ELSE 'South' END FROM generate_series(1, 12) i`);
  await client.query(
    `INSERT INTO orders (agent_id, customer_name, total, status, created_at)
     SELECT 1 + (i % 12), 'Customer ' || i, round((10 + (i * 7919 % 990))::numeric, 2),
            (ARRAY['open','closed','closed','closed','refunded'])[1 + i % 5],
            now() - (interval '30 days') * (i::float8 / $1)
     FROM generate_series($1, 1, -1) i`,
    [orders],
  );
  await client.query('CREATE INDEX orders_created_at ON orders (created_at)');
  await client.query(`CREATE OR REPLACE FUNCTION opsdeck_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('opsdeck_changes', TG_TABLE_NAME);
  RETURN NULL;
END $$`);
  for (const table of ['orders', 'agents']) {
    await client.query(`CREATE TRIGGER opsdeck_changes_notify_${table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_changes_notify()`);
  }
  // Only these tables: a bare ANALYZE runs one transaction per catalog table too.
  await client.query('ANALYZE agents, orders');
}

/** One committed change: a new order whose customer is the marker `m<seq>` clients look for. */
export async function insertMarker(client: pg.Client, seq: number): Promise<void> {
  await client.query(
    "INSERT INTO orders (agent_id, customer_name, total, status) VALUES (1 + ($1::int % 12), $2, 42.5, 'open')",
    [seq, `m${seq}`],
  );
}

/** The `recent` rows' marker numbers (customer `m<seq>`), for clients and pollers alike. */
export function markersIn(rows: readonly Record<string, unknown>[], above: number): number[] {
  const found: number[] = [];
  for (const row of rows) {
    const name = row['customer_name'];
    if (typeof name !== 'string' || name.charCodeAt(0) !== 109 /* m */) continue;
    const seq = Number(name.slice(1));
    if (Number.isInteger(seq) && seq > above) found.push(seq);
  }
  return found;
}
