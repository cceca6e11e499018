import type { FieldPacket } from 'mysql2';
import type { Column, ColumnType, Row } from '../../common/protocol.js';
import { normalizeValue } from './normalizeValue.js';

/**
 * MySQL and MariaDB columns and rows: protocol types from the result's column type codes; values
 * are JSON-shaped by the pool's options (decimals as numbers, DATE as text, UTC) and normalizeValue.
 */

/** mysql2 column type codes (the protocol's MYSQL_TYPE_* constants). */
const MYSQL_TYPE = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  NEWDECIMAL: 246,
} as const;

// TINYINT stays a number: MySQL has no real boolean, and TINYINT(1) columns often hold counts too.
const NUMBER_TYPES = new Set<number>([
  MYSQL_TYPE.DECIMAL,
  MYSQL_TYPE.TINY,
  MYSQL_TYPE.SHORT,
  MYSQL_TYPE.LONG,
  MYSQL_TYPE.FLOAT,
  MYSQL_TYPE.DOUBLE,
  MYSQL_TYPE.LONGLONG,
  MYSQL_TYPE.INT24,
  MYSQL_TYPE.YEAR,
  MYSQL_TYPE.NEWDECIMAL,
]);
const TIME_TYPES = new Set<number>([
  MYSQL_TYPE.TIMESTAMP,
  MYSQL_TYPE.DATE,
  MYSQL_TYPE.DATETIME,
  MYSQL_TYPE.NEWDATE,
  MYSQL_TYPE.TIMESTAMP2,
  MYSQL_TYPE.DATETIME2,
]);

function columnType(field: FieldPacket): ColumnType {
  const code = field.columnType ?? field.type ?? -1;
  if (NUMBER_TYPES.has(code)) return 'number';
  if (TIME_TYPES.has(code)) return 'time';
  return 'string';
}

/**
 * Columns in result order. Duplicate names collapse to one column (rows are objects, where the
 * last value wins; the column keeps its first position, like the object key does).
 */
export function toColumns(fields: readonly FieldPacket[]): Column[] {
  const byName = new Map<string, ColumnType>();
  for (const f of fields) byName.set(f.name, columnType(f));
  return [...byName].map(([name, type]) => ({ name, type }));
}

export function toRow(raw: Record<string, unknown>, columns: readonly Column[]): Row {
  const row: Row = {};
  for (const { name } of columns) row[name] = normalizeValue(raw[name]);
  return row;
}
