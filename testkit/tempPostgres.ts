import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './freePort.js';

/**
 * A PostgreSQL server of the test's own (tests and benchmarks of `watch.mode: logical`): initdb +
 * pg_ctl from the Debian binaries (/usr/lib/postgresql/<version>/bin), `wal_level=logical`, a free
 * loopback port, its data directory and Unix socket in the OS temp folder, trust authentication.
 * The machine's shared server on 5432 (wal_level=replica) is never touched. `stop()` removes
 * everything; a process that ends without calling it still stops the server (exit hook).
 *
 * initdb refuses to run as root: as root, the binaries run as the `postgres` user (runuser).
 */

const run = promisify(execFile);
/** Readiness on a loaded two-core machine: waited for, returns as soon as it answers. */
const START_TIMEOUT_S = 60;

export interface TempPostgres {
  port: number;
  /** The superuser trust authentication lets in. */
  user: string;
  /** A URL of database `name` (default `postgres`) for the code under test. */
  url(database?: string): string;
  /** A connected superuser client (the caller ends it). */
  connect(database?: string): Promise<pg.Client>;
  /** Runs one statement as the superuser on `database` (default `postgres`). */
  query(sql: string, params?: unknown[], database?: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder, or undefined when none is installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

export async function startTempPostgres(
  settings: Record<string, string> = {},
): Promise<TempPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql/*/bin');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-pg-'));
  const data = join(dir, 'data');
  if (asRoot) chownSync(dir, postgresUid(), postgresGid());
  const user = 'postgres';
  const tool = (name: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args])
      : run(join(bin, name), args);

  const port = await freePort();
  const options = {
    wal_level: 'logical',
    port: String(port),
    unix_socket_directories: dir,
    listen_addresses: '127.0.0.1',
    max_replication_slots: '10',
    max_wal_senders: '10',
    fsync: 'off',
    ...settings,
  };
  const stopSync = () => {
    try {
      execFileSync(
        asRoot ? 'runuser' : join(bin, 'pg_ctl'),
        [
          ...(asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []),
          ...['-D', data, '-m', 'immediate', '-w', 'stop'],
        ],
        { stdio: 'ignore' },
      );
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  try {
    await tool('initdb', ['-D', data, '-A', 'trust', '-U', user, '--no-sync', '-E', 'UTF8']);
    const o = Object.entries(options)
      .map(([k, v]) => `-c ${k}=${v}`)
      .join(' ');
    const log = join(dir, 'postgres.log');
    await tool('pg_ctl', [
      '-D',
      data,
      '-o',
      o,
      '-l',
      log,
      '-w',
      '-t',
      String(START_TIMEOUT_S),
      'start',
    ]);
  } catch (error) {
    stopSync();
    process.off('exit', stopSync);
    throw error;
  }

  const url = (database = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`;
  const connect = async (database = 'postgres') => {
    const client = new pg.Client({ connectionString: url(database) });
    client.on('error', () => undefined); // a terminated admin connection must not crash the run
    await client.connect();
    return client;
  };
  return {
    port,
    user,
    url,
    connect,
    async query(sql, params, database) {
      const client = await connect(database);
      try {
        return (await client.query<Record<string, unknown>>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      process.off('exit', stopSync);
      await tool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      stopSync();
    },
  };
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
}

function postgresGid(): number {
  return Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
}
