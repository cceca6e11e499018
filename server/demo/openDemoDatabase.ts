import type Database from 'better-sqlite3';
import { openDemoConnection } from './openDemoConnection.js';
import { seedHistory } from './seedHistory.js';

export interface OpenDemoDatabaseOptions {
  /** Path of the SQLite file; created if missing. */
  file: string;
  seed: string | number;
  /** End of the seeded history; defaults to the current time. */
  now?: Date;
}

/**
 * Opens (or creates) the demo database file, makes sure the schema is there and, if it has no
 * orders yet, fills it with 30 days of history. Returns the writable connection, which the sales
 * floor uses; the caller closes it.
 */
export function openDemoDatabase(options: OpenDemoDatabaseOptions): Database.Database {
  const db = openDemoConnection(options.file);
  try {
    seedHistory(db, { seed: options.seed, now: options.now ?? new Date() });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
