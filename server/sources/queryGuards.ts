import { findSecondStatement } from './singleStatement.js';

/**
 * Shared by the network sources: the checks made before anything is sent (one statement only,
 * query options that are safe to interpolate into SQL), and error normalisation.
 */

export function assertSingleStatement(sql: string): void {
  const at = findSecondStatement(sql);
  if (at !== undefined) {
    throw new Error(
      `section SQL must be a single statement; a second one starts at offset ${at}: ` +
        JSON.stringify(sql.slice(at, at + 40)),
    );
  }
}

/** The timeout is interpolated into SQL, so only a positive integer may get there (0 = off). */
export function validTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`invalid statement timeout: ${ms}`);
  return Math.ceil(ms);
}

export function validMaxRows(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid maxRows: ${n}`);
  return n;
}

/** All of the checks a section query passes before anything is sent: the safe limits to use. */
export function guardQuery(
  sql: string,
  options: { timeoutMs: number; maxRows: number },
): { timeoutMs: number; maxRows: number } {
  assertSingleStatement(sql);
  return { timeoutMs: validTimeout(options.timeoutMs), maxRows: validMaxRows(options.maxRows) };
}

/** Whatever was thrown, as an Error. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
