/**
 * What one version of a section changed compared with the one before it: rows added, rows
 * removed, and rows whose cells changed (with each changed cell's previous value). Rows are
 * matched by a key column (`view.key`, else the first column; `stat` sections, one row of
 * figures, by position); rows that share a key value are matched in order of appearance.
 * Pure: no React, no DOM.
 */
import type { CellValue, Column, Row, ViewSpec } from '../../common/protocol.js';

/** One changed cell: its column and the value it had before (undefined: the column was absent). */
export interface CellChange {
  column: string;
  before: CellValue | undefined;
}

export interface ChangedRow {
  key: string;
  cells: CellChange[];
}

export interface RowDiff {
  /** The column rows were matched by; undefined: by position. */
  keyColumn: string | undefined;
  /** Keys (see diffRowKeys) of the rows of the new version that the old one did not have. */
  added: string[];
  /** Rows of the old version that the new one does not have, in their old order. */
  removed: Row[];
  /** Rows present in both whose cells differ, in the new version's order. */
  changed: ChangedRow[];
  /** Whether the rows present in both come in another order than before. */
  reordered: boolean;
}

/**
 * The column rows are matched by: `view.key` when the section names one, else the first column;
 * undefined (by position) for `stat` sections, whose first column is a figure, not a name.
 */
export function diffKeyColumn(
  view: Pick<ViewSpec, 'key' | 'type'>,
  columns: readonly Column[],
): string | undefined {
  if (view.key !== undefined) return view.key;
  return view.type === 'stat' ? undefined : columns[0]?.name;
}

/** Whether two cell values are the same JSON value. */
export function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Each row's key, in row order: the key column's value as JSON, and `#n` for the n-th repeat of
 * a value (n >= 2), so that rows sharing a key value are told apart by their order; without a
 * key column, the row's position (1, 2, ...).
 */
export function diffRowKeys(rows: readonly Row[], keyColumn: string | undefined): string[] {
  const seen = new Map<string, number>();
  return rows.map((row, i) => {
    if (keyColumn === undefined) return String(i + 1);
    const base = JSON.stringify(row[keyColumn] ?? null);
    const repeat = (seen.get(base) ?? 0) + 1;
    seen.set(base, repeat);
    return repeat === 1 ? base : `${base}#${repeat}`;
  });
}

function changedCells(before: Row, after: Row): CellChange[] {
  const cells: CellChange[] = [];
  for (const column of Object.keys(after)) {
    if (!sameCell(before[column], after[column])) cells.push({ column, before: before[column] });
  }
  // A column the new row no longer has counts as changed too (its value became absent).
  for (const column of Object.keys(before)) {
    if (!(column in after)) cells.push({ column, before: before[column] });
  }
  return cells;
}

/** What `next` changed compared with `previous`, rows matched by `keyColumn`. */
export function diffRows(
  previous: readonly Row[],
  next: readonly Row[],
  keyColumn: string | undefined,
): RowDiff {
  const beforeKeys = diffRowKeys(previous, keyColumn);
  const afterKeys = diffRowKeys(next, keyColumn);
  const before = new Map<string, Row>();
  beforeKeys.forEach((key, i) => {
    const row = previous[i];
    if (row) before.set(key, row);
  });
  const kept = new Set<string>();
  const added: string[] = [];
  const changed: ChangedRow[] = [];
  afterKeys.forEach((key, i) => {
    const row = next[i];
    if (!row) return;
    const old = before.get(key);
    if (!old) {
      added.push(key);
      return;
    }
    kept.add(key);
    const cells = changedCells(old, row);
    if (cells.length > 0) changed.push({ key, cells });
  });
  const removed = previous.filter((_, i) => !kept.has(beforeKeys[i] ?? ''));
  return { keyColumn, added, removed, changed, reordered: reordered(beforeKeys, afterKeys, kept) };
}

/** Whether the keys in `kept` come in another order in `after` than in `before`. */
function reordered(before: readonly string[], after: readonly string[], kept: ReadonlySet<string>) {
  const was = before.filter((key) => kept.has(key));
  const now = after.filter((key) => kept.has(key));
  return was.some((key, i) => key !== now[i]);
}

/** Whether a diff changed nothing. */
export function isEmptyDiff(diff: RowDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/** A diff's counts in the change log's words: "+2 −1 ~3". */
export function diffSummary(diff: Pick<RowDiff, 'added' | 'removed' | 'changed'>): string {
  return `+${diff.added.length} −${diff.removed.length} ~${diff.changed.length}`;
}
