import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDemoDatabase } from './openDemoDatabase.js';
import { SalesFloor, type SalesFloorOptions } from './salesFloor.js';
import { testDemoDbs, type OrderRow, type TestDemoDbs } from './testDemoDb.js';

// The seeded history ends here; the simulated clock starts here too.
const t0 = Date.parse('2026-11-18T14:30:00.000Z');
const minute = 60_000;

describe('SalesFloor', () => {
  let dbs: TestDemoDbs;
  const floors: SalesFloor[] = [];

  /** A seeded demo database plus a floor on a simulated clock that starts at t0. */
  function setup(name: string, options: Partial<SalesFloorOptions> = {}) {
    const db = openDemoDatabase({ file: dbs.file(name), seed: 'history', now: new Date(t0) });
    dbs.keep(db);
    const historyMaxId = db.prepare('SELECT max(id) FROM orders').pluck().get() as number;
    const clock = { now: t0 };
    const changes: string[][] = [];
    const floor = new SalesFloor({
      db,
      rate: 30,
      seed: 'floor',
      onChange: (tables) => changes.push(tables),
      now: () => clock.now,
      ...options,
    });
    floors.push(floor);
    /** Advances the simulated clock to `until` in steps of `stepMs`, ticking each time. */
    const run = (until: number, stepMs: number) => {
      while (clock.now < until) {
        clock.now = Math.min(until, clock.now + stepMs);
        floor.tick(clock.now);
      }
    };
    const newOrders = () =>
      db
        .prepare<[number], OrderRow>('SELECT * FROM orders WHERE id > ? ORDER BY id')
        .all(historyMaxId);
    return { db, floor, clock, changes, run, newOrders };
  }

  beforeEach(() => {
    dbs = testDemoDbs();
  });

  afterEach(() => {
    for (const floor of floors.splice(0)) floor.stop();
    dbs.cleanup();
  });

  it('generates the same orders for the same seed, however often it ticks', () => {
    const a = setup('a.db');
    const b = setup('b.db');
    const c = setup('c.db', { seed: 'another floor' });
    a.run(t0 + 10 * minute, 1_000);
    b.run(t0 + 10 * minute, 7_000);
    c.run(t0 + 10 * minute, 1_000);
    expect(a.newOrders().length).toBeGreaterThan(100);
    expect(b.newOrders()).toEqual(a.newOrders());
    const contents = (rows: OrderRow[]) => rows.map((r) => [r.agent_id, r.customer_name, r.total]);
    expect(contents(c.newOrders()).slice(0, 20)).not.toEqual(contents(a.newOrders()).slice(0, 20));
  });

  it('honours the rate on average', () => {
    for (const rate of [30, 120]) {
      const { run, newOrders } = setup(`rate-${rate}.db`, { rate });
      run(t0 + 60 * minute, 1_000);
      const expected = rate * 60;
      const orders = newOrders();
      // Poisson: the standard deviation is sqrt(expected), about 3% here; allow 10%.
      expect(orders.length).toBeGreaterThan(expected * 0.9);
      expect(orders.length).toBeLessThan(expected * 1.1);
      for (const row of orders) {
        const at = Date.parse(row.created_at);
        expect(at).toBeGreaterThan(t0);
        expect(at).toBeLessThanOrEqual(t0 + 60 * minute);
      }
    }
  });

  it('closes every open order 20 s to 3 min after it was placed, refunding about 5%', () => {
    const { db, run, newOrders } = setup('closing.db', { rate: 60 });
    const end = t0 + 60 * minute;
    run(end, 1_000);
    const orders = newOrders();
    const iso = (ms: number) => new Date(ms).toISOString();
    const stillOpen = (row: OrderRow) => row.status === 'open';
    // Nothing older than 3 minutes is open, nothing younger than 20 s is settled yet.
    expect(orders.filter((r) => r.created_at < iso(end - 3 * minute) && stillOpen(r))).toEqual([]);
    expect(orders.filter((r) => r.created_at > iso(end - 20_000) && !stillOpen(r))).toEqual([]);
    // The history's open orders were picked up and closed as well.
    expect(db.prepare("SELECT count(*) FROM orders WHERE status = 'open'").pluck().get()).toBe(
      orders.filter(stillOpen).length,
    );

    const settled = orders.filter((r) => !stillOpen(r));
    const refunded = settled.filter((r) => r.status === 'refunded').length / settled.length;
    expect(refunded).toBeGreaterThan(0.03);
    expect(refunded).toBeLessThan(0.075);
  });

  it('with rate 0 adds no orders but still closes the open ones', () => {
    const { db, floor, run, newOrders } = setup('rate0.db', { rate: 0 });
    const openCount = db.prepare("SELECT count(*) FROM orders WHERE status = 'open'").pluck();
    expect(openCount.get()).toBeGreaterThan(0); // the seeded history leaves some open
    expect(floor.pendingClosings).toBe(openCount.get());
    run(t0 + 3 * minute, 1_000);
    expect(newOrders()).toEqual([]);
    expect(openCount.get()).toBe(0);
    expect(floor.nextEventAt()).toBeUndefined();
  });

  it('calls onChange after the commit, once per tick that wrote something', () => {
    const file = dbs.file('commit.db');
    const reader = { db: undefined as Database.Database | undefined };
    const seen: number[] = [];
    const { db, floor, changes } = setup('commit.db', {
      onChange: (tables) => {
        // Another connection sees the rows only once they are committed.
        expect(db.inTransaction).toBe(false);
        expect(tables).toEqual(['orders']);
        seen.push(reader.db?.prepare('SELECT count(*) FROM orders').pluck().get() as number);
      },
    });
    reader.db = new Database(file, { readonly: true });
    dbs.keep(reader.db);
    const count = () => db.prepare('SELECT count(*) FROM orders').pluck().get() as number;

    const next = floor.nextEventAt() as number;
    floor.tick(next - 1);
    expect(seen).toEqual([]); // nothing due yet, nothing written, nobody told
    floor.tick(next);
    expect(seen).toEqual([count()]);
    floor.tick(next);
    expect(seen).toHaveLength(1);
    floor.tick(next + 5 * minute);
    expect(seen).toEqual([seen[0], count()]);
    expect(changes).toEqual([]); // the custom onChange replaced the default recorder
  });

  it('retries a write that failed because another process held the lock, with the same orders', () => {
    const reference = setup('reference.db');
    const busy = setup('busy.db');
    busy.db.pragma('busy_timeout = 0'); // fail at once instead of waiting in the test
    reference.run(t0 + 2 * minute, 1_000);
    busy.run(t0 + minute, 1_000);

    const other = new Database(dbs.file('busy.db'));
    dbs.keep(other);
    other.exec('BEGIN IMMEDIATE'); // someone in the sqlite3 shell started a write transaction
    busy.clock.now = t0 + 90_000;
    expect(() => busy.floor.tick(busy.clock.now)).toThrow(/locked|busy/i);
    other.exec('COMMIT');

    busy.run(t0 + 2 * minute, 1_000);
    expect(busy.newOrders()).toEqual(reference.newOrders());
  });

  it('skips the arrivals missed during a long stall instead of inserting a burst', () => {
    const { floor, newOrders } = setup('stall.db');
    floor.tick(t0 + 2 * 60 * minute);
    expect(newOrders().length).toBeLessThan(5);
  });

  it('rejects a negative rate', () => {
    expect(() => setup('negative.db', { rate: -1 })).toThrow(RangeError);
  });

  it('runs on real timers that do not keep the process alive, until stopped', async () => {
    const db = openDemoDatabase({ file: dbs.file('timers.db'), seed: 'timers' });
    dbs.keep(db);
    let calls = 0;
    const floor = new SalesFloor({ db, rate: 6_000, seed: 'timers', onChange: () => calls++ });
    floors.push(floor);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    floor.start();
    expect(timers()).toBe(before); // unref()-ed
    await new Promise((resolve) => setTimeout(resolve, 300));
    floor.stop();
    expect(calls).toBeGreaterThan(3);
    const afterStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(afterStop);
  });
});
