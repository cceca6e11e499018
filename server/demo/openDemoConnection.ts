import Database from 'better-sqlite3';
import { applyDemoSchema } from './demoSchema.js';

/**
 * Opens (or creates) the demo database file with its schema, without writing any history: for a
 * caller that seeds it later (`opsdeck demo` does, once it listens; see HistorySeeding). Apart from openDemoDatabase so
 * that the seeder's modules are not loaded on the way to listening.
 */
export function openDemoConnection(file: string): Database.Database {
  const db = new Database(file);
  try {
    applyDemoSchema(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
