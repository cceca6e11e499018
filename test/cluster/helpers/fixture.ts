import { randomBytes } from 'node:crypto';
import { notifyTriggerSql } from '../../../server/config/notifyTriggerSql.js';
import { eventSections } from '../../../testkit/eventSections.js';
import { createPostgresDatabase, type TestDatabase } from '../../helpers/services.js';

export const SHARED_REDIS = 'redis://127.0.0.1:6379';

/**
 * The sections of every cluster test: `events` and `recent` change with each insert into
 * `events`; `teams` only when `teams` changes, so a resync can show that unchanged sections are
 * not sent again.
 */
export const SECTIONS = [
  ...eventSections(3),
  {
    id: 'teams',
    title: 'Teams',
    view: { type: 'table' },
    sql: 'SELECT name FROM teams ORDER BY name',
    tables: ['teams'],
  },
];

export const SECTION_IDS = SECTIONS.map((s) => s.id);

/** A fresh database with the tables and the notify triggers the sections need. */
export async function createFixtureDatabase(): Promise<TestDatabase> {
  const db = await createPostgresDatabase();
  await db.admin('CREATE TABLE events (id serial PRIMARY KEY, note text NOT NULL)');
  await db.admin('CREATE TABLE teams (name text PRIMARY KEY)');
  await db.admin("INSERT INTO teams VALUES ('North'), ('South')");
  await db.admin(notifyTriggerSql('opsdeck_changes', ['events', 'teams']));
  return db;
}

/** Inserts one event and returns its id: the `last_id` of section `events` once it arrives. */
export async function insertEvent(db: TestDatabase, note: string): Promise<number> {
  const rows = await db.admin('INSERT INTO events (note) VALUES ($1) RETURNING id', [note]);
  return Number(rows[0]?.id);
}

/** A random cluster name: the Redis key prefix `opsdeck:<name>:` of one test. */
export function randomClusterName(): string {
  return `test-${randomBytes(6).toString('hex')}`;
}

/** The configuration of one node: notify mode on PostgreSQL, cluster through Redis. */
export function clusterConfig(db: TestDatabase, redisUrl: string, name: string): object {
  return {
    database: { url: db.url, pool: 2 },
    // The safety re-check (every section re-read) would add queries at a time no test controls.
    watch: { mode: 'notify', intervalMs: 600_000 },
    cluster: { redis: redisUrl, name },
    sections: SECTIONS,
  };
}

/** Removes every key of the cluster (`opsdeck:<name>:*`, SCAN + DEL); returns how many. */
export { deleteClusterKeys } from '../../../testkit/clusterKeys.js';
