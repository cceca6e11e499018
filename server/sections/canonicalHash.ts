import { createHash } from 'node:crypto';
import type { CellValue, Column, Row } from '../../common/protocol.js';

/**
 * A hash that is equal exactly when two results would look the same to a client: same columns,
 * same rows in the same order, same values, same truncation. Object keys inside JSON values are
 * sorted so that key order coming from the driver does not matter.
 */
export function canonicalHash(columns: Column[], rows: Row[], truncated: boolean): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(columns.map((c) => [c.name, c.type])));
  hash.update(truncated ? '\u0001' : '\u0000');
  for (const row of rows) {
    hash.update('\n');
    hash.update(stableStringify(columns.map((c) => row[c.name] ?? null)));
  }
  return hash.digest('base64url');
}

function stableStringify(value: CellValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k] ?? null)}`).join(',')}}`;
}
