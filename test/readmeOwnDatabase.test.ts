/**
 * The README's "Your own database" section, followed as written against a real PostgreSQL: its
 * SQL creates the table, its opsdeck.yml is the configuration, its commands run in that folder and
 * print what the README shows (numbers and the database URL aside), and its INSERT reaches both
 * sections through the notify trigger. Two substitutions only: DATABASE_URL is this test's
 * database, and `serve` gets `--port 0` (a free port instead of 3001).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { connect, recorder, request, type TestSocket } from './helpers/client.js';
import { runOpsdeck, startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';

interface Block {
  lang: string;
  text: string;
}

/** The fenced code blocks of one README section, in order. */
function sectionBlocks(title: string): Block[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README section "${title}"`).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const body = readme.slice(start, end);
  return [...body.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1] ?? '',
    text: m[2] ?? '',
  }));
}

/** Output lines as compared: numbers, the database URL and runs of spaces do not matter. */
function normalize(text: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .replace(/^database: \S+: ok/, 'database: URL: ok')
        .replace(/\d+/g, 'N')
        .replace(/ +/g, ' ')
        .trimEnd(),
    );
}

/** The expected lines appear in the output as one contiguous run. */
function expectLines(output: string, expected: string): void {
  const got = normalize(output);
  const want = normalize(expected);
  const at = got.findIndex((_, i) => want.every((line, j) => got[i + j] === line));
  expect(at, `expected, as a run of lines:\n${expected}\nin:\n${output}`).toBeGreaterThanOrEqual(0);
}

let db: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-readme-'));
const cleanups: (() => unknown)[] = [];

await describeWithService('postgres', 'README: Your own database', () => {
  beforeAll(async () => {
    db = await createPostgresDatabase();
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('works as written: check fails with the fix, --install-triggers, check passes, serve is live', async () => {
    const blocks = sectionBlocks('Your own database');
    const sql = blocks.filter((b) => b.lang === 'sql');
    const yaml = blocks.find((b) => b.lang === 'yaml');
    expect(sql).toHaveLength(2);
    writeFileSync(join(dir, 'opsdeck.yml'), yaml?.text ?? '');
    await db.admin(sql[0]?.text ?? '');

    const env: NodeJS.ProcessEnv = {};
    let last = '';
    let server: OpsdeckProcess | undefined;
    let commands = 0;
    for (const block of blocks) {
      if (block.lang === 'text') {
        if (server) {
          const running = server;
          await vi.waitFor(() => expectLines(running.stdout(), block.text), { timeout: 10_000 });
        } else expectLines(last, block.text);
        continue;
      }
      if (block.lang !== 'sh') continue;
      for (const line of block.text.split('\n').filter((l) => l.trim() !== '')) {
        const exported = /^export DATABASE_URL=/.exec(line);
        if (exported) {
          env.DATABASE_URL = db.url;
          continue;
        }
        const args = /^npx opsdeck (.*)$/.exec(line)?.[1]?.split(' ');
        expect(args, `a command the test knows: ${line}`).toBeDefined();
        commands += 1;
        if (args?.[0] === 'serve') {
          server = await startOpsdeck([...args, '--port', '0'], env, 20_000, dir);
          cleanups.push(() => server?.stop());
        } else {
          const result = await runOpsdeck(args ?? [], env, 20_000, dir);
          last = result.stdout;
        }
      }
    }
    expect(commands).toBe(3);
    expect(server).toBeDefined();

    // The README's INSERT reaches both cards through the trigger, long before the 60 s re-check.
    const socket: TestSocket = await connect(server?.url ?? '');
    cleanups.push(() => socket.close());
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['open_orders', 'latest'] });
    await vi.waitFor(() => expect(seen.latest('latest')?.rows).toHaveLength(2));
    await db.admin(sql[1]?.text ?? '');
    await vi.waitFor(() => {
      expect(seen.latest('latest')?.rows[0]?.customer_name).toBe('Linus');
      expect(seen.latest('open_orders')?.rows[0]?.open_orders).toBe(3);
    });
    expect(seen.statuses.filter((s) => s.warning || !s.healthy)).toEqual([]);
  });
});
