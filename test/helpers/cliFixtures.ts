import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { startOpsdeck, type OpsdeckProcess } from './opsdeckProcess.js';

/** A fresh folder under the system temp folder, removed (with everything in it) by `remove()`. */
export interface TempDir {
  path: string;
  /** Absolute path of `name` inside the folder. */
  file(name: string): string;
  /** Writes `text` to `name` (creating sub-folders) and returns its absolute path. */
  write(name: string, text: string): string;
  remove(): void;
}

export function tempDir(prefix = 'opsdeck-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    write(name, text) {
      const file = join(path, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** The rows `createItemsDatabase` writes, in id order. */
export const ITEM_ROWS = [
  { id: 1, name: 'anvil', qty: 3 },
  { id: 2, name: 'bucket', qty: 7 },
  { id: 3, name: 'chisel', qty: 11 },
] as const;

/** A SQLite file with one table, `items(id, name, qty)`, holding ITEM_ROWS. */
export function createItemsDatabase(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.exec(
      'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL)',
    );
    const insert = db.prepare('INSERT INTO items (id, name, qty) VALUES (@id, @name, @qty)');
    for (const row of ITEM_ROWS) insert.run(row);
  } finally {
    db.close();
  }
}

/** A serve/check configuration on a SQLite file with an `items` section (YAML text). */
export function sqliteConfig(dbUrl: string, extra = ''): string {
  return `${extra}database:
  url: ${dbUrl}
sections:
  - id: items
    title: Items
    view: { type: table }
    sql: SELECT id, name, qty FROM items ORDER BY id
`;
}

/** Lines of a JavaScript stack trace (`    at fn (file:1:2)`) in some output. */
export function stackTraceLines(output: string): string[] {
  return output.split('\n').filter((line) => /^\s+at\s/.test(line));
}

/** Non-empty lines of some output. */
export function lines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '');
}

/**
 * Server processes started by a test file: `start` remembers each one and `stopAll` ends every one
 * still running (SIGTERM, then SIGKILL after a grace period), so no test leaves a server behind.
 */
export class ProcessPool {
  private readonly running = new Set<OpsdeckProcess>();

  async start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<OpsdeckProcess> {
    const proc = await startOpsdeck(args, env);
    this.running.add(proc);
    void proc.exited.then(() => this.running.delete(proc));
    return proc;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((proc) => stopOrKill(proc)));
    this.running.clear();
  }
}

async function stopOrKill(proc: OpsdeckProcess, graceMs = 10_000): Promise<void> {
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  try {
    await proc.stop('SIGTERM');
  } finally {
    clearTimeout(timer);
  }
}
