import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyDemoSchema } from './demoSchema.js';
import { demoAgents } from './names.js';
import { openDemoDatabase } from './openDemoDatabase.js';
import { seedHistory } from './seedHistory.js';
import { allOrders, useTestDemoDbs } from '../../test/helpers/demoDbs.js';

// A Wednesday afternoon (UTC): today has a good part of a business day behind it.
const now = new Date('2026-11-18T14:30:00.000Z');
const isoUtc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('seedHistory', () => {
  const dbs = useTestDemoDbs();

  function freshDatabase(name: string): Database.Database {
    const db = new Database(dbs.file(name));
    dbs.keep(db);
    applyDemoSchema(db);
    return db;
  }

  it('inserts the agents and 30 days of 300-700 orders a day', () => {
    const db = freshDatabase('counts.db');
    const result = seedHistory(db, { seed: 1, now });
    expect(result.agents).toBe(demoAgents.length);
    expect(db.prepare('SELECT count(*) FROM agents').pluck().get()).toBe(demoAgents.length);
    expect(db.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(result.orders);

    const perDay = db
      .prepare<[], { day: string; n: number }>(
        'SELECT substr(created_at, 1, 10) AS day, count(*) AS n FROM orders GROUP BY day ORDER BY day',
      )
      .all();
    expect(perDay).toHaveLength(30);
    expect(perDay[0]?.day).toBe('2026-10-20'); // today minus 29 days
    expect(perDay.at(-1)?.day).toBe('2026-11-18');
    // Every full day (today is only partly over) is in the advertised range.
    for (const { n } of perDay.slice(0, -1)) {
      expect(n).toBeGreaterThanOrEqual(250);
      expect(n).toBeLessThanOrEqual(750);
    }
    expect(result.orders / 30).toBeGreaterThan(300);
    expect(result.orders / 30).toBeLessThan(700);
  });

  it('follows the week and the business day', () => {
    const db = freshDatabase('pattern.db');
    seedHistory(db, { seed: 2, now });
    const rows = allOrders(db);
    const full = rows.filter((row) => row.created_at < '2026-11-18');
    const byWeekday = new Map<number, number>();
    for (const row of full) {
      const weekday = new Date(row.created_at).getUTCDay();
      byWeekday.set(weekday, (byWeekday.get(weekday) ?? 0) + 1);
    }
    const weekend = ((byWeekday.get(0) ?? 0) + (byWeekday.get(6) ?? 0)) / 2;
    const weekdays = [1, 2, 3, 4, 5].map((d) => byWeekday.get(d) ?? 0);
    for (const count of weekdays) expect(count).toBeGreaterThan(weekend * 1.3);

    const businessHours = full.filter((row) => {
      const hour = new Date(row.created_at).getUTCHours();
      return hour >= 8 && hour < 18;
    });
    expect(businessHours.length / full.length).toBeGreaterThan(0.65);
  });

  it('writes ISO 8601 UTC timestamps, never after now, with ids in time order', () => {
    const db = freshDatabase('times.db');
    seedHistory(db, { seed: 3, now });
    const times = allOrders(db).map((row) => row.created_at);
    // One expect per property, not per row: 14,000 expects take half a second.
    expect(times.filter((t) => !isoUtc.test(t))).toEqual([]);
    expect(times.filter((t, i) => i > 0 && t < (times[i - 1] as string))).toEqual([]);
    expect(times.filter((t) => t > now.toISOString())).toEqual([]);
  });

  it('closes old orders, leaves some of the last hour open and refunds about 4%', () => {
    const db = freshDatabase('status.db');
    seedHistory(db, { seed: 4, now });
    const rows = allOrders(db);
    const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
    const open = rows.filter((row) => row.status === 'open');
    expect(open.length).toBeGreaterThan(0);
    expect(open.filter((row) => row.created_at < hourAgo)).toEqual([]);
    const lastHour = rows.filter((row) => row.created_at >= hourAgo);
    expect(open.length).toBeLessThan(lastHour.length);

    const refunded = rows.filter((row) => row.status === 'refunded').length / rows.length;
    expect(refunded).toBeGreaterThan(0.03);
    expect(refunded).toBeLessThan(0.05);
  });

  it('spreads totals around a median of about 120 with a long tail', () => {
    const db = freshDatabase('totals.db');
    seedHistory(db, { seed: 5, now });
    const totals = allOrders(db)
      .map((row) => row.total)
      .sort((a, b) => a - b);
    const median = totals[Math.floor(totals.length / 2)] as number;
    expect(median).toBeGreaterThan(100);
    expect(median).toBeLessThan(140);
    const large = totals.filter((t) => t > 1_000).length;
    expect(large).toBeGreaterThan(0);
    expect(large / totals.length).toBeLessThan(0.02); // a few, not many
    expect(totals[0]).toBeGreaterThan(0);
    expect(totals.filter((t) => Math.round(t * 100) / 100 !== t)).toEqual([]); // whole cents
  });

  it('gives agents different workloads', () => {
    const db = freshDatabase('agents.db');
    seedHistory(db, { seed: 6, now });
    const counts = db
      .prepare('SELECT count(*) FROM orders GROUP BY agent_id')
      .pluck()
      .all() as number[];
    expect(counts).toHaveLength(demoAgents.length);
    expect(Math.max(...counts) / Math.min(...counts)).toBeGreaterThan(2);
  });

  it('is deterministic for a seed', () => {
    const a = freshDatabase('a.db');
    const b = freshDatabase('b.db');
    const c = freshDatabase('c.db');
    seedHistory(a, { seed: 'same', now });
    seedHistory(b, { seed: 'same', now });
    seedHistory(c, { seed: 'other', now });
    expect(allOrders(a)).toEqual(allOrders(b));
    expect(allOrders(a)).not.toEqual(allOrders(c));
  });

  it('does nothing on a reopened database that already has orders', () => {
    const file = dbs.file('reopen.db');
    const first = openDemoDatabase({ file, seed: 7, now });
    const before = allOrders(first);
    first.close();

    const later = new Date(now.getTime() + 86_400_000);
    const again = openDemoDatabase({ file, seed: 7, now: later });
    dbs.keep(again);
    expect(seedHistory(again, { seed: 7, now: later })).toEqual({ agents: 0, orders: 0 });
    expect(allOrders(again)).toEqual(before);
    expect(again.prepare('SELECT count(*) FROM agents').pluck().get()).toBe(demoAgents.length);
  });
});
