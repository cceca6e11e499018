import { createHash } from 'node:crypto';
import type { CellValue, Column, Row } from '../../common/protocol.js';

/**
 * The canonical hash of rows as docs/socketio.md (`update`, "hash") states it, written from that
 * text rather than from server/sections/canonicalHash.ts: what an outside verifier would compute.
 */
export function documentedHash(columns: Column[], rows: Row[], truncated: boolean): string {
  const sorted = (value: CellValue): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(sorted).join(',')}]`;
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sorted(value[k] ?? null)}`).join(',')}}`;
  };
  const hash = createHash('sha256');
  hash.update(JSON.stringify(columns.map((c) => [c.name, c.type])));
  hash.update(truncated ? '\u0001' : '\u0000');
  for (const row of rows) hash.update(`\n${sorted(columns.map((c) => row[c.name] ?? null))}`);
  return hash.digest('base64url');
}
