import type { Column, Row } from '../../common/protocol.js';
import type { QueryResult } from './DataSource.js';

/**
 * The QueryResult of a read that kept up to maxRows + 1 raw rows (shared by the network sources):
 * at most maxRows converted rows, and `truncated` when the extra row shows there were more.
 */
export function cappedResult(
  columns: Column[],
  raws: readonly Record<string, unknown>[],
  maxRows: number,
  toRow: (raw: Record<string, unknown>, columns: readonly Column[]) => Row,
): QueryResult {
  return {
    columns,
    rows: raws.slice(0, maxRows).map((raw) => toRow(raw, columns)),
    truncated: raws.length > maxRows,
  };
}
