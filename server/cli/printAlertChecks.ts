import type { AlertRule } from '../../common/alerts.js';
import type { Column } from '../../common/protocol.js';
import { checkAlertColumns } from '../alerts/checkAlertColumns.js';

/**
 * `opsdeck check`'s lines for the alert rules, after the sections ran: one per rule, `ok` with what
 * was checked or `FAILED` with what is wrong. Returns the number that failed.
 */
export function printAlertChecks(
  rules: readonly AlertRule[],
  columns: ReadonlyMap<string, readonly Column[]>,
  out: (line: string) => void,
): number {
  if (rules.length === 0) return 0;
  const lines = checkAlertColumns(rules, columns);
  const width = Math.max(...lines.map((l) => l.id.length));
  for (const line of lines) {
    out(`alert   ${line.id.padEnd(width)}  ${line.ok ? 'ok    ' : 'FAILED'}  ${line.text}`);
  }
  return lines.filter((l) => !l.ok).length;
}
