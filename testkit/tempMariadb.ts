import { spawn, spawnSync, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './freePort.js';

/**
 * A MariaDB server of its own, for tests and benchmarks that need settings the shared one on 3306
 * does not have (the binary log, a given binlog_format, users with chosen privileges): installed
 * from the Debian binaries (`mariadb-install-db`, `mariadbd`) into a folder under the OS temp
 * folder, on a free port, and removed afterwards. root has an empty password on 127.0.0.1.
 */

export interface TempMariadbOptions {
  /** `ROW` (default), `STATEMENT` or `MIXED`. */
  binlogFormat?: string;
  /** Further `mariadbd` flags. */
  args?: string[];
}

export interface TempMariadb {
  port: number;
  /** `mysql://user@127.0.0.1:port/database` (no password unless given). */
  url(database: string, user?: string, password?: string): string;
  /** Runs statements as root (multiple statements allowed) and returns the last rows. */
  sql(statement: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A global status counter, e.g. `Com_select`. */
  status(name: string): Promise<number>;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its folder. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** Why a temporary MariaDB cannot be started here (its programs are missing), or undefined. */
export function tempMariadbUnavailable(): string | undefined {
  for (const program of ['mariadb-install-db', 'mariadbd']) {
    const probe = spawnSync(program, ['--version'], { stdio: 'ignore' });
    if (probe.error) return `${program} not found (Debian package mariadb-server)`;
  }
  return undefined;
}
const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];

export async function startTempMariadb(options: TempMariadbOptions = {}): Promise<TempMariadb> {
  const dir = await mkdtemp(join(tmpdir(), 'opsdeck-mariadb-'));
  const dataDir = join(dir, 'data');
  await install(dir, dataDir);
  const port = await freePort();
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--log-bin=${join(dataDir, 'binlog')}`,
      `--binlog-format=${options.binlogFormat ?? 'ROW'}`,
      '--server-id=1',
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      '--innodb-flush-log-at-trx-commit=2',
      '--sync-binlog=0',
      '--max-connections=500',
      ...asRoot,
      ...(options.args ?? []),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pool = mysql.createPool({
    host: '127.0.0.1',
    port,
    user: 'root',
    multipleStatements: true,
    connectionLimit: 4,
  });
  pool.on('connection', (conn) => conn.on('error', () => undefined));
  const stop = async (): Promise<void> => {
    await pool.end().catch(() => undefined);
    await kill(child, exited);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    await ready(pool, child, dir);
  } catch (error) {
    await stop();
    throw error;
  }
  const sql = async (statement: string, params?: unknown[]) => {
    const [rows] = await pool.query(statement, params);
    const list = Array.isArray(rows) ? rows : [];
    const last = Array.isArray(list[list.length - 1]) ? list[list.length - 1] : list;
    return last as Record<string, unknown>[];
  };
  return {
    port,
    url: (database, user = 'root', password) =>
      `mysql://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${database}`,
    sql,
    async status(name) {
      const rows = await sql('SHOW GLOBAL STATUS LIKE ?', [name]);
      return Number(rows[0]?.['Value'] ?? NaN);
    },
    stop,
  };
}

/** The system tables; the folder goes again when that fails. */
async function install(dir: string, dataDir: string): Promise<void> {
  try {
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...asRoot,
    ]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Waits until the server answers (up to 60 s: installing and starting on a loaded machine). */
async function ready(pool: mysql.Pool, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mariadbd exited at start:\n${await tail(join(dir, 'error.log'))}`);
    }
    try {
      await pool.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`mariadbd did not answer within 60 s (${(error as Error).message})`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '(no error log)');
  return text.split('\n').slice(-15).join('\n');
}
