import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Column, ColumnType, Row } from '../../common/protocol.js';
import type { DataSource, QueryOptions, QueryResult } from './DataSource.js';
import { findSecondStatement } from './singleStatement.js';
import { inferColumnType, normalizeValue } from './normalizeValue.js';
import type { WorkerRequest, WorkerResponse } from './sqliteWorker.js';

interface Pending {
  resolve: (response: WorkerResponse) => void;
  reject: (error: Error) => void;
}

/**
 * SQLite through a read-only connection in a worker thread. One query at a time (SQLite reads are
 * fast and the engine already serialises per section); a query that overruns its timeout terminates
 * the worker, and the next query starts a fresh one.
 */
export function createSqliteSource(file: string): DataSource {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function failAll(error: Error): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function startWorker(): Worker {
    const w = new Worker(workerFile(), { workerData: { file } });
    w.on('message', (response: WorkerResponse) => {
      const p = pending.get(response.id);
      pending.delete(response.id);
      p?.resolve(response);
    });
    w.on('error', (error: unknown) => {
      if (worker === w) worker = undefined;
      failAll(asError(error));
    });
    w.on('exit', () => {
      if (worker === w) worker = undefined;
      failAll(new Error('SQLite worker stopped'));
    });
    w.unref();
    return w;
  }

  async function send(sql: string, options: QueryOptions): Promise<WorkerResponse> {
    if (closed) throw new Error('data source closed');
    const w = (worker ??= startWorker());
    const id = nextId++;
    return new Promise<WorkerResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`canceling statement due to statement timeout (${options.timeoutMs} ms)`));
        if (worker === w) worker = undefined;
        void w.terminate();
      }, options.timeoutMs);
      pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      const request: WorkerRequest = { id, sql, maxRows: options.maxRows };
      w.postMessage(request);
    });
  }

  async function query(sql: string, options: QueryOptions): Promise<QueryResult> {
    const second = findSecondStatement(sql);
    if (second !== undefined) throw new Error('only one statement is allowed in section SQL');
    // Serialise: one statement at a time through the worker keeps timeouts per statement honest.
    const run = queue.then(() => send(sql, options));
    queue = run.catch(() => undefined);
    const response = await run;
    if (!response.ok) throw new Error(response.message);
    const rows: Row[] = response.rows.map((raw) => {
      const row: Row = {};
      for (const c of response.columns) row[c.name] = normalizeValue(raw[c.name]);
      return row;
    });
    const columns: Column[] = response.columns.map((c) => ({
      name: c.name,
      type: columnType(
        c.declaredType,
        rows.map((r) => r[c.name] ?? null),
      ),
    }));
    return { rows, columns, truncated: response.truncated };
  }

  return {
    kind: 'sqlite',
    description: `sqlite:${file}`,
    query,
    async ping(timeoutMs) {
      await query('SELECT 1', { timeoutMs, maxRows: 1 });
    },
    async close() {
      closed = true;
      failAll(new Error('data source closed'));
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}

function columnType(declared: string | null, values: Row[string][]): ColumnType {
  const decl = (declared ?? '').toUpperCase();
  if (/INT|REAL|FLOA|DOUB|NUM|DEC/.test(decl)) return 'number';
  if (/BOOL/.test(decl)) return 'boolean';
  return inferColumnType(values);
}

/** Errors thrown in the worker arrive cloned; make sure there is a readable message. */
function asError(error: unknown): Error {
  if (error instanceof Error && error.message) return error;
  const e = error as { message?: unknown; code?: unknown } | null;
  const text = [e?.code, e?.message].filter((x) => typeof x === 'string' && x !== '').join(': ');
  return new Error(text || 'SQLite worker failed');
}

/**
 * The compiled worker. Under Vitest this module runs from its TypeScript source, where no .js
 * sibling exists; the build in dist/ (made by `tsc -b`, which `npm test` runs first) serves then.
 */
function workerFile(): string {
  const sibling = fileURLToPath(new URL('./sqliteWorker.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  return fileURLToPath(new URL('../../dist/server/sources/sqliteWorker.js', import.meta.url));
}
