import pg from 'pg';
import type { Column, ColumnType, Row } from '../../common/protocol.js';
import { normalizeValue } from './normalizeValue.js';

/**
 * PostgreSQL values and columns: every result value must already be JSON-shaped, without touching
 * the global pg.types (the parsers are per pool), and every column gets a protocol type.
 */

const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  int8Array: 1016,
  date: 1082,
  timestamp: 1114,
  timestampArray: 1115,
  dateArray: 1182,
  timestamptz: 1184,
  timestamptzArray: 1185,
  interval: 1186,
  numericArray: 1231,
  numeric: 1700,
} as const;

type TextParser = (text: string) => unknown;

const keepText: TextParser = (text) => text;
/** int8 and numeric as JS numbers: dashboards chart them; NaN/Infinity become null later. */
const toNumber: TextParser = (text) => Number(text);

/** pg-types types the OID as its enum of built-ins; at run time any OID is accepted. */
const defaultParser = pg.types.getTypeParser as (
  oid: number,
  format?: 'text' | 'binary',
) => unknown;

/** pg's text[] parser splits any array literal into (nested) element strings or nulls. */
const TEXT_ARRAY_OID = 1009;
const splitArray = defaultParser(TEXT_ARRAY_OID, 'text') as TextParser;

function mapElements(value: unknown, parse: TextParser): unknown {
  if (Array.isArray(value)) return value.map((v) => mapElements(v, parse));
  return typeof value === 'string' ? parse(value) : value;
}

const arrayOf =
  (parse: TextParser): TextParser =>
  (text) =>
    mapElements(splitArray(text), parse);

/**
 * Parsers run inside the socket's data handler, where a throw is an uncaught exception that ends
 * the process. Whatever goes wrong, fall back to the text the server sent.
 */
const neverThrow =
  (parse: TextParser): TextParser =>
  (text) => {
    try {
      return parse(text);
    } catch {
      return text;
    }
  };

const textParsers = new Map<number, TextParser>(
  (
    [
      [OID.int8, toNumber],
      [OID.numeric, toNumber],
      [OID.date, keepText],
      // Without a zone the value is taken as UTC: the server's own zone must not leak into the data.
      [OID.timestamp, parseTimestamp],
      [OID.timestamptz, parseTimestamp],
      // pg's default turns an interval into an object of parts; its text reads better in a table.
      [OID.interval, keepText],
      [OID.int8Array, arrayOf(toNumber)],
      [OID.numericArray, arrayOf(toNumber)],
      [OID.dateArray, arrayOf(keepText)],
      [OID.timestampArray, arrayOf(parseTimestamp)],
      [OID.timestamptzArray, arrayOf(parseTimestamp)],
    ] as const
  ).map(([oid, parse]) => [oid, neverThrow(parse)]),
);

/** Per-pool type parsers (falling back to pg's defaults), so no other pg user is affected. */
export const jsonTypes: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown =>
    (format ?? 'text') === 'text'
      ? (textParsers.get(oid) ?? defaultParser(oid, format))
      : defaultParser(oid, format),
};

const PG_TIMESTAMP =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/;

/**
 * PostgreSQL timestamp text ('2024-01-02 03:04:05.123456+05:30', offsets may carry seconds, years
 * may be BC) to an ISO 8601 UTC string. A value without an offset is read as UTC. Sub-millisecond
 * digits are dropped (JSON consumers parse with Date). 'infinity' and friends stay as they are.
 */
export function parseTimestamp(text: string): string {
  const m = PG_TIMESTAMP.exec(text);
  if (!m) return text;
  const year = m[12] ? 1 - Number(m[1]) : Number(m[1]);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), Math.floor(Number(m[7] ?? 0) * 1000));
  const sign = m[8] === '-' ? -1 : 1;
  const offsetSeconds = m[8]
    ? sign * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0))
    : 0;
  const utc = new Date(date.getTime() - offsetSeconds * 1000);
  return Number.isNaN(utc.getTime()) ? text : utc.toISOString();
}

const NUMBER_OIDS = new Set<number>([
  OID.int2,
  OID.int4,
  OID.int8,
  OID.float4,
  OID.float8,
  OID.numeric,
  OID.oid,
]);
const TIME_OIDS = new Set<number>([OID.date, OID.timestamp, OID.timestamptz]);

function columnType(dataTypeID: number): ColumnType {
  if (NUMBER_OIDS.has(dataTypeID)) return 'number';
  if (TIME_OIDS.has(dataTypeID)) return 'time';
  if (dataTypeID === OID.bool) return 'boolean';
  return 'string';
}

/**
 * Columns in result order. Duplicate names collapse to one column (rows are objects, where the
 * last value wins; the column keeps its first position, like the object key does).
 */
export function toColumns(fields: readonly pg.FieldDef[]): Column[] {
  const byName = new Map<string, ColumnType>();
  for (const f of fields) byName.set(f.name, columnType(f.dataTypeID));
  return [...byName].map(([name, type]) => ({ name, type }));
}

export function toRow(raw: Record<string, unknown>, columns: readonly Column[]): Row {
  const row: Row = {};
  for (const { name } of columns) row[name] = normalizeValue(raw[name]);
  return row;
}
