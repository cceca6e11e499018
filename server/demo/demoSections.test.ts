import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSections, type DemoSection } from './demoSections.js';
import { openDemoDatabase } from './openDemoDatabase.js';
import { tempDir } from './tempDir.js';

type Row = Record<string, unknown>;

// The section SQL reads SQLite's clock ('now'), so the history has to end at the real time.
// (A run that straddles UTC midnight could see "today" change between two queries; that is a
// window of milliseconds once a day.)
describe('demoSections', () => {
  const dir = tempDir();
  let db: Database.Database;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(() => {
    db = openDemoDatabase({ file: dir.file('sections.db'), seed: 'sections', now: new Date() });
  });

  afterAll(() => {
    db.close();
    dir.cleanup();
  });

  function section(id: string): DemoSection {
    const found = demoSections().find((s) => s.id === id);
    if (!found) throw new Error(`no section ${id}`);
    return found;
  }

  function run(id: string): { columns: string[]; rows: Row[] } {
    const statement = db.prepare(section(id).sql);
    return {
      columns: statement.columns().map((c) => c.name),
      rows: statement.all() as Row[],
    };
  }

  it('declares the contract sections with valid ids, views and tables', () => {
    const sections = demoSections();
    expect(sections.map((s) => s.id)).toEqual(['kpis', 'sales', 'agents', 'recent']);
    expect(sections.map((s) => s.view.type)).toEqual(['stat', 'line', 'bar', 'table']);
    for (const s of sections) {
      expect(s.id).toMatch(/^[a-z0-9_-]{1,64}$/);
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.tables).toContain('orders');
      // prepare() refuses more than one statement; readonly means it is a query, not a write.
      expect(db.prepare(s.sql).readonly).toBe(true);
    }
    // Each call returns fresh objects.
    const first = demoSections()[1];
    first?.view.y?.push('oops');
    expect(demoSections()[1]?.view.y).toEqual(['revenue', 'orders']);
  });

  it('kpis: one row that matches a direct computation', () => {
    const { columns, rows } = run('kpis');
    expect(columns).toEqual(['revenue_today', 'orders_today', 'avg_order_value', 'open_orders']);
    expect(rows).toHaveLength(1);
    const todays = db
      .prepare<[string], { total: number; status: string }>(
        'SELECT total, status FROM orders WHERE created_at >= ?',
      )
      .all(`${today}T00:00:00.000Z`);
    const paid = todays.filter((o) => o.status !== 'refunded');
    const revenue = paid.reduce((sum, o) => sum + o.total, 0);
    const open = db.prepare("SELECT count(*) FROM orders WHERE status = 'open'").pluck().get();
    const kpi = rows[0] as Row;
    expect(kpi.revenue_today).toBeCloseTo(revenue, 2);
    expect(kpi.orders_today).toBe(todays.length);
    expect(kpi.avg_order_value).toBeCloseTo(paid.length ? revenue / paid.length : 0, 2);
    expect(kpi.open_orders).toBe(open);
  });

  it('sales: one row per day for the last 30 days, today included', () => {
    const { columns, rows } = run('sales');
    expect(columns).toEqual(['day', 'revenue', 'orders']);
    expect(rows).toHaveLength(30);
    const days = rows.map((r) => r.day);
    const expectedDays = Array.from({ length: 30 }, (_, i) =>
      new Date(Date.parse(today) - (29 - i) * 86_400_000).toISOString().slice(0, 10),
    );
    expect(days).toEqual(expectedDays);
    // Every past day has history; today may only just have begun.
    for (const row of rows.slice(0, -1)) expect(row.orders).toBeGreaterThan(200);
    const total = rows.reduce((sum, r) => sum + (r.orders as number), 0);
    expect(total).toBe(db.prepare('SELECT count(*) FROM orders').pluck().get());
    expect(rows.at(-1)?.orders).toBe((run('kpis').rows[0] as Row).orders_today);
  });

  it('agents: every agent with closed orders, revenue and today, agreeing with the totals', () => {
    const { columns, rows } = run('agents');
    expect(columns).toEqual(['agent', 'closed', 'revenue', 'today']);
    const names = db.prepare('SELECT name FROM agents ORDER BY name').pluck().all();
    expect(rows.map((r) => r.agent).sort()).toEqual(names);
    const sum = (key: string, list: Row[]) => list.reduce((s, r) => s + (r[key] as number), 0);
    const closed = db.prepare("SELECT count(*) FROM orders WHERE status = 'closed'").pluck().get();
    expect(sum('closed', rows)).toBe(closed);
    // Each figure is rounded to cents on its own, so the sums agree to within a few cents.
    expect(Math.abs(sum('revenue', rows) - sum('revenue', run('sales').rows))).toBeLessThan(0.5);
    expect(sum('today', rows)).toBe((run('kpis').rows[0] as Row).orders_today);
    // Best sellers first.
    const revenues = rows.map((r) => r.revenue as number);
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
  });

  it('recent: the 10 newest orders with the agent name', () => {
    const { columns, rows } = run('recent');
    expect(columns).toEqual(['id', 'customer_name', 'agent', 'total', 'status', 'created_at']);
    const newest = db
      .prepare('SELECT id FROM orders ORDER BY created_at DESC, id DESC LIMIT 10')
      .pluck()
      .all();
    expect(rows.map((r) => r.id)).toEqual(newest);
    for (const row of rows) {
      expect(typeof row.agent).toBe('string');
      expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('still answers on an empty database', () => {
    db.exec('BEGIN');
    try {
      db.exec('DELETE FROM orders');
      expect(run('kpis').rows).toEqual([
        { revenue_today: 0, orders_today: 0, avg_order_value: 0, open_orders: 0 },
      ]);
      expect(run('sales').rows).toHaveLength(30);
      expect(run('agents').rows.every((r) => r.closed === 0 && r.revenue === 0)).toBe(true);
      expect(run('recent').rows).toEqual([]);
    } finally {
      db.exec('ROLLBACK');
    }
  });
});
