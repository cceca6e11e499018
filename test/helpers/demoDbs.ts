import type Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { testDemoDbs, type OrderRow, type TestDemoDbs } from '../../server/demo/testDemoDb.js';

/**
 * The set-up of the demo database tests: in the enclosing describe block, a fresh testDemoDbs
 * (private temporary directory) for each test, its connections closed and the directory removed
 * after it.
 */
export function useTestDemoDbs(): Omit<TestDemoDbs, 'cleanup'> {
  let current: TestDemoDbs | undefined;
  beforeEach(() => {
    current = testDemoDbs();
  });
  afterEach(() => {
    current?.cleanup();
    current = undefined;
  });
  const dbs = (): TestDemoDbs => {
    if (!current) throw new Error('the demo databases exist only while a test runs');
    return current;
  };
  return { file: (name) => dbs().file(name), keep: (db) => dbs().keep(db) };
}

/** Every order of a demo database, by id. */
export function allOrders(db: Database.Database): OrderRow[] {
  return db.prepare<[], OrderRow>('SELECT * FROM orders ORDER BY id').all();
}
