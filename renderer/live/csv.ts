/**
 * A section's rows as CSV (RFC 4180): a header line of the column names, then one line per row in
 * the order the server sent them, CRLF line ends. Values are written as the update carries them,
 * not as the console formats them: numbers in JSON notation (1234.5, never "1,234.50"), timestamps
 * as their ISO 8601 UTC text, booleans as true/false, null (and a missing value) as an empty field,
 * arrays and objects as their JSON. A field is quoted when it holds a comma, a double quote, CR or
 * LF, or starts or ends with a space; quotes inside are doubled. Plain TypeScript, no DOM.
 */
import type { CellValue, Column, Row } from '../../common/protocol.js';

const CRLF = '\r\n';

/** One value as CSV text, before quoting. */
export function csvText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Quotes a field when RFC 4180 requires it (and when edge spaces would be trimmed by readers). */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as CSV: header = column names, values as in the update. Ends with CRLF. */
export function toCsv(columns: readonly Column[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) {
    lines.push(columns.map((c) => csvField(csvText(row[c.name]))).join(','));
  }
  return lines.join(CRLF) + CRLF;
}
