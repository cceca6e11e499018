/**
 * Sorting a table section by a column header. Without a sort the rows stay exactly in the order
 * the SQL returned them: the console never reorders on its own.
 */
import type { CellValue, Column, Row } from '../../common/protocol.js';
import { parseTime } from '../format/format.js';

export type SortDirection = 'asc' | 'desc';

export interface TableSort {
  column: string;
  direction: SortDirection;
}

/** The next sort after a click on `column`'s header: ascending, descending, then SQL order. */
export function nextSort(current: TableSort | undefined, column: string): TableSort | undefined {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : undefined;
}

function sortKey(value: CellValue | undefined, type: Column['type']): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  if (type === 'number') return typeof value === 'number' ? value : Number(value);
  if (type === 'time') {
    const t = typeof value === 'string' || typeof value === 'number' ? parseTime(value) : NaN;
    return Number.isNaN(t) ? undefined : t;
  }
  if (type === 'boolean') return value === true ? 1 : 0;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The rows in display order: as given without a sort; else a stable sort by the column (ties keep
 * the SQL order), empty values last in either direction.
 */
export function sortRows(
  rows: readonly Row[],
  columns: readonly Column[],
  sort: TableSort | undefined,
): readonly Row[] {
  if (!sort) return rows;
  const column = columns.find((c) => c.name === sort.column);
  if (!column) return rows;
  const sign = sort.direction === 'asc' ? 1 : -1;
  const keyed = rows.map((row, index) => ({
    row,
    index,
    key: sortKey(row[column.name], column.type),
  }));
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) {
      if (a.key === b.key) return a.index - b.index;
      return a.key === undefined ? 1 : -1;
    }
    const order =
      typeof a.key === 'number' && typeof b.key === 'number'
        ? a.key - b.key
        : collator.compare(String(a.key), String(b.key));
    return order !== 0 && !Number.isNaN(order) ? sign * order : a.index - b.index;
  });
  return keyed.map((k) => k.row);
}
