import type Database from 'better-sqlite3';
import { tempDir } from './tempDir.js';

/**
 * Test helper for the demo tests: the orders table's row shape, and the temporary directory plus
 * the connections a test opened in it, closed and removed together by cleanup().
 */

/** A row of the demo's orders table, as better-sqlite3 returns it. */
export interface OrderRow {
  id: number;
  agent_id: number;
  customer_name: string;
  total: number;
  status: string;
  created_at: string;
}

export interface TestDemoDbs {
  /** The path of a database file in the private temporary directory. */
  file(name: string): string;
  /** Registers a connection to be closed by cleanup(). */
  keep(db: Database.Database): void;
  /** Closes every kept connection, then removes the directory. */
  cleanup(): void;
}

export function testDemoDbs(): TestDemoDbs {
  const dir = tempDir();
  const open: Database.Database[] = [];
  return {
    file: (name) => dir.file(name),
    keep: (db) => open.push(db),
    cleanup: () => {
      for (const db of open.splice(0)) db.close();
      dir.cleanup();
    },
  };
}
