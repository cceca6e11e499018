import type { CellValue, ColumnType } from '../../common/protocol.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Turns a driver value into a JSON value: dates become ISO 8601 UTC strings, bigints numbers (or
 * strings when they do not fit), buffers base64, non-finite numbers null.
 */
export function normalizeValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    case 'object':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (Buffer.isBuffer(value)) return value.toString('base64');
      if (Array.isArray(value)) return value.map(normalizeValue);
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, normalizeValue(v)]),
      );
    default:
      // functions and symbols never come from a driver; keep something printable
      return typeof value === 'symbol' ? value.toString() : typeof value;
  }
}

/** True for strings that read as an ISO 8601 date or timestamp. */
export function looksLikeTime(value: string): boolean {
  return ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Column type from the values, for databases without reliable result types (SQLite expressions):
 * all numbers -> number, all booleans -> boolean, all ISO timestamps -> time, else string.
 * A column with only nulls is a string column.
 */
export function inferColumnType(values: Iterable<CellValue>): ColumnType {
  let seen: ColumnType | undefined;
  for (const value of values) {
    if (value === null) continue;
    let type: ColumnType;
    if (typeof value === 'number') type = 'number';
    else if (typeof value === 'boolean') type = 'boolean';
    else if (typeof value === 'string' && looksLikeTime(value)) type = 'time';
    else return 'string';
    if (seen === undefined) seen = type;
    else if (seen !== type) return 'string';
  }
  return seen ?? 'string';
}
