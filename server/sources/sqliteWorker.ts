/**
 * Worker thread that runs SQLite section queries, so a slow query never blocks the event loop and
 * a statement timeout can be enforced by terminating the worker (better-sqlite3 has no interrupt).
 * The connection is read-only: section SQL can never write.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface WorkerRequest {
  id: number;
  sql: string;
  maxRows: number;
}

export type WorkerResponse =
  | {
      id: number;
      ok: true;
      rows: Record<string, unknown>[];
      columns: { name: string; declaredType: string | null }[];
      truncated: boolean;
    }
  | { id: number; ok: false; message: string };

const { file } = workerData as { file: string };
const db = open(file);
db.pragma('busy_timeout = 1000');

/** Opens read-only; a failure becomes a plain Error, whose message survives the thread boundary. */
function open(path: string): Database.Database {
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    const e = error as { message?: string; code?: string };
    throw new Error(
      `cannot open SQLite database ${path}: ${e.message ?? e.code ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
}

function run(request: WorkerRequest): WorkerResponse {
  try {
    // prepare() refuses a string with more than one statement.
    const statement = db.prepare(request.sql);
    if (!statement.reader) {
      return {
        id: request.id,
        ok: false,
        message: 'section SQL must be a query that returns rows',
      };
    }
    const columns = statement.columns().map((c) => ({ name: c.name, declaredType: c.type }));
    const rows: Record<string, unknown>[] = [];
    let truncated = false;
    for (const row of statement.iterate() as Iterable<Record<string, unknown>>) {
      if (rows.length >= request.maxRows) {
        truncated = true;
        break;
      }
      rows.push(row);
    }
    return { id: request.id, ok: true, rows, columns, truncated };
  } catch (error) {
    return { id: request.id, ok: false, message: (error as Error).message };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  parentPort?.postMessage(run(request));
});
