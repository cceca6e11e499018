import type { AlertRule, DashboardInfo } from '../../common/alerts.js';
import type { ViewSpec } from '../../common/protocol.js';

/** A section of the demo dashboard: what a config file's sections declare (docs/demo.md). */
export interface DemoSection {
  id: string;
  title: string;
  view: ViewSpec;
  /** One SQLite SELECT statement. */
  sql: string;
  /** The tables whose changes make the section re-run. */
  tables: string[];
}

/*
 * Conventions shared by every section, so the numbers agree with each other:
 * - "revenue" is the sum of order totals that were not refunded (open orders count: they are sold);
 * - "orders" counts every order placed, refunded ones included;
 * - days are UTC days. created_at is ISO 8601 text, so `created_at >= date('now')` compares
 *   '2026-11-22T10:15:03.120Z' with '2026-11-22' as text and selects today, using the index;
 * - money is rounded to cents in SQL, so every client shows the same figure.
 */
const revenue = "round(coalesce(sum(CASE WHEN o.status <> 'refunded' THEN o.total END), 0), 2)";

const kpis: DemoSection = {
  id: 'kpis',
  title: 'Today',
  view: { type: 'stat', y: ['revenue_today', 'orders_today', 'avg_order_value', 'open_orders'] },
  sql: `SELECT
  ${revenue} AS revenue_today,
  count(*) AS orders_today,
  round(coalesce(avg(CASE WHEN o.status <> 'refunded' THEN o.total END), 0), 2) AS avg_order_value,
  (SELECT count(*) FROM orders WHERE status = 'open') AS open_orders
FROM orders o
WHERE o.created_at >= date('now')`,
  tables: ['orders'],
};

// The calendar CTE gives a row for every day, including days without orders, so the chart's x
// axis never has holes (a reopened demo file may have quiet days).
const sales: DemoSection = {
  id: 'sales',
  title: 'Revenue, last 30 days',
  view: { type: 'line', x: 'day', y: ['revenue', 'orders'] },
  sql: `WITH RECURSIVE days(day) AS (
  SELECT date('now', '-29 days')
  UNION ALL
  SELECT date(day, '+1 day') FROM days WHERE day < date('now')
)
SELECT
  days.day AS day,
  ${revenue} AS revenue,
  count(o.id) AS orders
FROM days
LEFT JOIN orders o ON o.created_at >= days.day AND o.created_at < date(days.day, '+1 day')
GROUP BY days.day
ORDER BY days.day`,
  tables: ['orders'],
};

// Every agent appears, even one without orders yet; best sellers first. Aggregating orders first
// and joining the twelve agents afterwards reads the orders in one pass (about 40% faster here than
// joining first, which looks each agent's orders up through the index).
// Three magnitudes: revenue (~100,000s) on the left axis, closed orders (~1,000s) on the right
// (y2), and today's orders (~10s), which would be invisible on either, in a panel of its own below
// (the console does that for any series that would be drawn below 2% of its axis).
const agents: DemoSection = {
  id: 'agents',
  title: 'Agents',
  view: { type: 'bar', x: 'agent', y: ['closed', 'revenue', 'today'], y2: ['closed'] },
  sql: `WITH per_agent AS (
  SELECT
    o.agent_id,
    count(CASE WHEN o.status = 'closed' THEN 1 END) AS closed,
    ${revenue} AS revenue,
    count(CASE WHEN o.created_at >= date('now') THEN 1 END) AS today
  FROM orders o
  WHERE o.created_at >= date('now', '-29 days')
  GROUP BY o.agent_id
)
SELECT
  a.name AS agent,
  coalesce(p.closed, 0) AS closed,
  coalesce(p.revenue, 0) AS revenue,
  coalesce(p.today, 0) AS today
FROM agents a
LEFT JOIN per_agent p ON p.agent_id = a.id
ORDER BY revenue DESC, a.name`,
  tables: ['agents', 'orders'],
};

// LEFT JOIN: a row typed into the sqlite3 shell (which does not enforce foreign keys by default)
// with an unknown agent still shows up, with an empty agent.
const recent: DemoSection = {
  id: 'recent',
  title: 'Latest orders',
  view: { type: 'table' },
  sql: `SELECT o.id, o.customer_name, a.name AS agent, o.total, o.status, o.created_at
FROM orders o
LEFT JOIN agents a ON a.id = o.agent_id
ORDER BY o.created_at DESC, o.id DESC
LIMIT 10`,
  tables: ['orders', 'agents'],
};

/** The demo dashboard, in display order. ($cluster is added by the server itself.) */
export function demoSections(): DemoSection[] {
  // Fresh objects each call: callers may adjust them without affecting each other.
  return [kpis, sales, agents, recent].map((section) => ({
    ...section,
    view: {
      ...section.view,
      ...(section.view.y ? { y: [...section.view.y] } : {}),
      ...(section.view.y2 ? { y2: [...section.view.y2] } : {}),
    },
    tables: [...section.tables],
  }));
}

/**
 * The demo's alert rules (docs/demo.md), tuned to the floor at its default rate of 30 orders a
 * minute: about 50 orders are open on average (each settles 20 s to 3 min after it is placed), so
 * more than 55 for 20 s happens some 10 times an hour (simulated); about 1 order in 50 is above 750
 * (log-normal totals, the Enterprise team's mostly), so big-order fires every couple of minutes,
 * while that order is among the 10 latest; about 1 in 450 is above 1,500, so approval-needed (the
 * critical one) fires every quarter of an hour or so, for the 20 s that order stays among them.
 */
export function demoAlerts(): AlertRule[] {
  return [
    {
      id: 'open-orders-high',
      section: 'kpis',
      when: 'open_orders > 55',
      for: '20s',
      severity: 'warning',
      message: '{open_orders} orders are waiting',
    },
    {
      id: 'big-order',
      section: 'recent',
      when: 'total > 750',
      severity: 'info',
      message: 'Big order: {customer_name}, {total} ({agent})',
    },
    {
      id: 'approval-needed',
      section: 'recent',
      when: 'total > 1500',
      severity: 'critical',
      message: 'Order {id} needs a manager’s approval: {total} from {customer_name} ({agent})',
    },
  ];
}

/** The demo's two pages: the floor now, and the trends behind it. */
export function demoDashboards(): DashboardInfo[] {
  return [
    { id: 'floor', title: 'Sales floor', sections: ['kpis', 'recent'] },
    { id: 'trends', title: 'Trends', sections: ['sales', 'agents', '$cluster'] },
  ];
}
