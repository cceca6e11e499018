/**
 * What `serve` says on standard output when something fails: a database that answers but refuses
 * the login (no such user, wrong password) is said to refuse it, with what to fix, not called
 * "unreachable" (retrying alone will not help); a section whose own SQL fails, while the database
 * answers, is named with its error, and said again when it recovers.
 */
import { afterAll, expect, it, vi } from 'vitest';
import { startOpsdeck } from './helpers/opsdeckProcess.js';
import { tableSection as section, writeServeConfig } from './helpers/serveConfig.js';
import { createPostgresDatabase, describeWithService } from './helpers/services.js';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function serveWith(url: string, sections = [section('one', 'SELECT 1 AS x')]) {
  const written = writeServeConfig({ database: { url }, sections });
  const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
  cleanups.push(() => server.stop(), written.remove);
  return server;
}

const REFUSED =
  /database refuses the login \(check the user, password and database name in database\.url\): \S+: .+; retrying every 5 s/;

await describeWithService('postgres', 'serve: PostgreSQL refuses the login', () => {
  it('a role that does not exist', async () => {
    const server = await serveWith('postgres://opsdeck_no_such_role@127.0.0.1:5432/postgres');
    await vi.waitFor(() => expect(server.stdout()).toMatch(REFUSED), { timeout: 10_000 });
    expect(server.stdout()).toContain('role "opsdeck_no_such_role" does not exist');
    expect(server.stdout()).not.toContain('database unreachable');
  });

  it('a section whose SQL fails is named with its error; the others are not', async () => {
    const server = await serveWith('postgres://postgres@127.0.0.1:5432/postgres', [
      section('one', 'SELECT 1 AS x'),
      section('typo', 'SELECT count(*) FROM opsdeck_no_such_table'),
    ]);
    await vi.waitFor(
      () =>
        expect(server.stdout()).toContain(
          'section typo failing: relation "opsdeck_no_such_table" does not exist',
        ),
      { timeout: 10_000 },
    );
    expect(server.stdout()).not.toMatch(/section one|database unreachable/);
  });

  it('a failing section is said to recover once its SQL works (the table is created)', async () => {
    const db = await createPostgresDatabase();
    cleanups.push(() => db.drop());
    const server = await serveWith(db.url, [
      section('late', 'SELECT count(*)::int AS n FROM arrives_later', ['arrives_later']),
    ]);
    await vi.waitFor(() => expect(server.stdout()).toContain('section late failing: relation'), {
      timeout: 10_000,
    });
    expect(server.stdout()).not.toContain('section late recovered');
    await db.admin('CREATE TABLE arrives_later (id int)');
    // Its retry (backoff 1, 2, 4 ... s) reads it: said once, after the failure.
    await vi.waitFor(() => expect(server.stdout()).toContain('section late recovered'), {
      timeout: 20_000,
    });
    const lines = server.stdout().split('\n');
    const failed = lines.findIndex((l) => l.startsWith('section late failing'));
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((l) => l === 'section late recovered')).toBeGreaterThan(failed);
    expect(lines.filter((l) => l === 'section late recovered')).toHaveLength(1);
  }, 40_000);
});

await describeWithService('mysql', 'serve: MariaDB refuses the login', () => {
  it('a wrong password', async () => {
    const server = await serveWith('mysql://opsdeck_no_such_user:wrong@127.0.0.1:3306/test');
    await vi.waitFor(() => expect(server.stdout()).toMatch(REFUSED), { timeout: 10_000 });
    expect(server.stdout()).toContain('Access denied');
    expect(server.stdout()).not.toContain('database unreachable');
  });
});
