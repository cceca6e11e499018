/**
 * `opsdeck check` in logical mode, as a real CLI process: the machine's shared PostgreSQL
 * (wal_level=replica) fails with the exact ALTER SYSTEM; on a server of the test's own
 * (wal_level=logical) a role without REPLICATION fails with ALTER ROLE and, since it owns no
 * table, the CREATE PUBLICATION its owner must run; the superuser passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempPostgres, type TempPostgres } from '../testkit/tempPostgres.js';
import { runOpsdeck } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';
import { createPostgresDatabase, type TestDatabase } from './helpers/services.js';

const SECTIONS = [
  {
    id: 'recent',
    title: 'Recent',
    view: { type: 'table' },
    sql: 'SELECT id, item FROM orders ORDER BY id',
  },
];
const cleanups: (() => unknown)[] = [];
let pg: TempPostgres;
let shared: TestDatabase;

async function check(url: string) {
  const written = writeServeConfig({
    database: { url },
    watch: { mode: 'logical' },
    sections: SECTIONS,
  });
  cleanups.push(written.remove);
  return runOpsdeck(['check', '--config', written.file]);
}

const failLines = (text: string) => text.split('\n').filter((l) => /^\s+FAIL\s/.test(l));

describe('check verifies the logical feed', () => {
  beforeAll(async () => {
    pg = await startTempPostgres();
    await pg.query('CREATE DATABASE shop');
    await pg.query('CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)', [], 'shop');
    await pg.query('CREATE ROLE viewer LOGIN', [], 'shop');
    await pg.query('GRANT SELECT ON orders TO viewer', [], 'shop');
    shared = await createPostgresDatabase();
    await shared.admin('CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)');
  }, 120_000);

  afterAll(async () => {
    for (const c of cleanups.splice(0)) await c();
    await shared.drop();
    await pg.stop();
  });

  it('fails on wal_level=replica (the shared server) and prints the ALTER SYSTEM', async () => {
    const { code, stdout } = await check(shared.url);
    expect(code, stdout).toBe(1);
    expect(failLines(stdout)).toContain(
      '  FAIL  wal_level is replica: the WAL carries no row changes to decode',
    );
    expect(stdout).toContain(
      'fix: run as a superuser: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL',
    );
  });

  it('fails for a role without REPLICATION that owns no table, with both fixes', async () => {
    const { code, stdout } = await check(`postgres://viewer@127.0.0.1:${pg.port}/shop`);
    expect(code, stdout).toBe(1);
    expect(failLines(stdout)).toEqual([
      '  FAIL  role viewer has no REPLICATION attribute: it may not stream from a slot',
      '  FAIL  publication opsdeck_default does not exist, and role viewer does not own every watched table, so serve cannot create it',
    ]);
    expect(stdout).toContain('fix: run as a superuser: ALTER ROLE viewer REPLICATION;');
    expect(stdout).toContain('CREATE PUBLICATION "opsdeck_default" FOR TABLE "public"."orders";');
    expect(stdout).toContain('  ok    wal_level is logical');
  });

  it('passes for the superuser, saying what serve will create', async () => {
    const { code, stdout } = await check(pg.url('shop'));
    expect(stdout).toContain('  ok    wal_level is logical');
    expect(stdout).toContain('  ok    slot opsdeck_default does not exist yet: serve creates it');
    expect(stdout).toContain(
      '  ok    publication opsdeck_default does not exist yet: serve creates it',
    );
    expect(stdout).toMatch(/ok {4}recent {2}watches orders \(from the query plan\)/);
    expect(code, stdout).toBe(0);
    // check created nothing.
    const [row] = await pg.query(
      'SELECT (SELECT count(*) FROM pg_publication)::int AS p, (SELECT count(*) FROM pg_replication_slots)::int AS s',
      [],
      'shop',
    );
    expect(row).toEqual({ p: 0, s: 0 });
  });
});
