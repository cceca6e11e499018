import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import type { QueryResult } from '../sources/DataSource.js';
import { applyDemoSchema } from './demoSchema.js';
import { HistorySeeding } from './historySeeding.js';
import { openDemoConnection } from './openDemoConnection.js';
import { seedHistory, seedHistoryInSteps } from './seedHistory.js';
import { allOrders, useTestDemoDbs } from '../../test/helpers/demoDbs.js';

const now = new Date('2026-11-18T14:30:00.000Z');
const noRows: QueryResult = { rows: [], columns: [], truncated: false };

describe('seedHistoryInSteps', () => {
  const dbs = useTestDemoDbs();

  function open(name: string): Database.Database {
    const db = openDemoConnection(dbs.file(name));
    dbs.keep(db);
    return db;
  }

  it('writes the same history as seedHistory, in one transaction, pausing between steps', async () => {
    const stepped = open('stepped.db');
    const reader = new Database(dbs.file('stepped.db'), { readonly: true });
    dbs.keep(reader);
    const seenByReader: number[] = [];
    const result = await seedHistoryInSteps(stepped, {
      seed: 'steps',
      now,
      pause: () => {
        seenByReader.push(reader.prepare('SELECT count(*) FROM orders').pluck().get() as number);
        return new Promise((resolve) => setImmediate(resolve));
      },
    });
    const whole = open('whole.db');
    expect(result).toEqual(seedHistory(whole, { seed: 'steps', now }));
    expect(allOrders(stepped)).toEqual(allOrders(whole));
    // A step is about a thousand orders; nobody else sees any of them before the commit.
    expect(seenByReader.length).toBeGreaterThanOrEqual(Math.floor(result.orders / 1000));
    expect(seenByReader.every((n) => n === 0)).toBe(true);
    expect(stepped.inTransaction).toBe(false);
    // The indexes dropped for the bulk insert are back.
    const indexes = stepped
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
      .pluck()
      .all();
    expect(indexes).toEqual(['orders_agent_id', 'orders_created_at', 'orders_status']);
  });

  it('rolls everything back when a pause fails, and can seed again afterwards', async () => {
    const db = open('failed.db');
    let pauses = 0;
    await expect(
      seedHistoryInSteps(db, {
        seed: 'fail',
        now,
        pause: () => (++pauses === 3 ? Promise.reject(new Error('stop here')) : Promise.resolve()),
      }),
    ).rejects.toThrow('stop here');
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM agents').pluck().get()).toBe(0);
    expect(
      db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index'").pluck().get(),
    ).toBe(3);
    const again = seedHistory(db, { seed: 'fail', now });
    expect(again.orders).toBeGreaterThan(0);
  });
});

describe('HistorySeeding', () => {
  const dbs = useTestDemoDbs();

  it('keeps sections from reading and readiness false until the history is written', async () => {
    const db = openDemoConnection(dbs.file('gate.db'));
    dbs.keep(db);
    const seeding = new HistorySeeding({ db, seed: 'gate', now: () => now });
    const read = vi.fn(() => {
      // Whenever the section reads, the whole history is there.
      expect(db.prepare('SELECT count(*) FROM orders').pluck().get()).toBeGreaterThan(10_000);
      return Promise.resolve(noRows);
    });
    const info = {
      id: 'kpis',
      title: 'KPIs',
      view: { type: 'stat' as const },
      mode: 'push' as const,
    };
    const gated = seeding.gate({ info, read });
    expect(gated.info).toBe(info);

    const pending = gated.read();
    expect(() => seeding.check()).toThrow('demo database: writing 30 days of sales history');
    const written = seeding.start();
    expect(seeding.start()).toBe(written); // once
    expect(() => seeding.check()).toThrow('writing 30 days');
    expect(read).not.toHaveBeenCalled();

    expect((await written).orders).toBeGreaterThan(10_000);
    await expect(pending).resolves.toBe(noRows);
    expect(read).toHaveBeenCalledTimes(1);
    expect(() => seeding.check()).not.toThrow();
    await seeding.finished();
  });

  it('a reopened database with its history is ready without writing anything', async () => {
    const file = dbs.file('reopened.db');
    const first = openDemoConnection(file);
    seedHistory(first, { seed: 'again', now });
    first.close();
    const db = openDemoConnection(file);
    dbs.keep(db);
    const seeding = new HistorySeeding({ db, seed: 'again' });
    expect(await seeding.start()).toEqual({ agents: 0, orders: 0 });
    expect(() => seeding.check()).not.toThrow();
  });

  it('reports why the history could not be written, to readiness and to the sections', async () => {
    const file = dbs.file('readonly.db');
    const setup = new Database(file);
    applyDemoSchema(setup);
    setup.close();
    const db = new Database(file, { readonly: true });
    dbs.keep(db);
    const seeding = new HistorySeeding({ db, seed: 'ro' });
    const read = vi.fn(() => Promise.resolve(noRows));
    const gated = seeding.gate({
      info: { id: 'recent', title: 'Recent', view: { type: 'table' }, mode: 'push' },
      read,
    });
    await expect(seeding.start()).rejects.toThrow(
      /^demo database: the sales history could not be written: .*readonly/,
    );
    expect(() => seeding.check()).toThrow(/could not be written: .*readonly/);
    await expect(gated.read()).rejects.toThrow(/could not be written/);
    expect(read).not.toHaveBeenCalled();
    await seeding.finished(); // settles, whichever way
  });

  it('has nothing to wait for when it never started', async () => {
    const db = openDemoConnection(dbs.file('idle.db'));
    dbs.keep(db);
    await expect(new HistorySeeding({ db, seed: 'idle' }).finished()).resolves.toBeUndefined();
  });
});
