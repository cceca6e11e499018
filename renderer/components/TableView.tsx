import { useMemo, useState } from 'react';
import type { Column, Row, SectionUpdate } from '../../common/protocol.js';
import { useRowsThatFit } from '../hooks/useRowsThatFit.js';
import { useScrollHint } from '../hooks/useScrollHint.js';
import { diffRowKeys, type CellChange, type RowDiff } from '../live/rowDiff.js';
import { rowKey } from '../live/sectionsReducer.js';
import { formatCell, humanize, isMoneyColumn } from '../format/format.js';
import { useKiosk } from './kioskContext.js';
import { Cell } from './TableCell.js';
import { nextSort, sortRows, type TableSort } from './tableSort.js';

/** Rows rendered at most; the rest are counted, not drawn (bounded rendering). */
export const TABLE_ROW_LIMIT = 200;

export interface TableViewProps {
  update: SectionUpdate;
  /** Keys (rowKey) of rows new or changed in this update: highlighted for a moment. */
  changedRowKeys?: readonly string[];
  /**
   * What this update changed (live/rowDiff): added rows and changed cells are marked, each
   * changed cell with its previous value (on hover, and in words for screen readers). When given,
   * it replaces changedRowKeys.
   */
  changes?: RowDiff | undefined;
  rowLimit?: number;
  locale?: string;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

function cellClass(c: Column, changed: boolean): string | undefined {
  const classes = [
    c.type === 'number' ? 'num' : '',
    c.type === 'number' && isMoneyColumn(c.name) ? 'money' : '',
    c.name === 'id' ? 'id' : '',
    c.type === 'time' ? 'time' : '',
    changed ? 'cell-changed' : '',
  ].filter(Boolean);
  return classes.join(' ') || undefined;
}

/** A previous value in words: "was 1,002.50" ("was empty" for a column the row did not have). */
export function previousValueText(change: CellChange, column: Column, locale?: string): string {
  if (change.before === undefined) return 'was empty';
  return `was ${formatCell(change.before, column.name, column.type, locale)}`;
}

type RowChange = { kind: 'added' } | { kind: 'changed'; cells: Map<string, CellChange> };

/** Each row's change in this update, by row object (the rows' keys are numbered in SQL order). */
function rowChanges(update: SectionUpdate, changes: RowDiff): Map<Row, RowChange> {
  const keys = diffRowKeys(update.rows, changes.keyColumn);
  const added = new Set(changes.added);
  const changed = new Map(changes.changed.map((c) => [c.key, c.cells]));
  const out = new Map<Row, RowChange>();
  update.rows.forEach((row, i) => {
    const key = keys[i] ?? '';
    const cells = changed.get(key);
    if (added.has(key)) out.set(row, { kind: 'added' });
    else if (cells)
      out.set(row, { kind: 'changed', cells: new Map(cells.map((c) => [c.column, c])) });
  });
  return out;
}

/**
 * A `table` section: the rows exactly in the order the SQL returned them, unless the user sorts by
 * a column header (ascending, descending, back to SQL order); values formatted for the locale;
 * rows changed in this update highlighted (the animation replays per version); at most
 * TABLE_ROW_LIMIT rows drawn. A table wider than its card scrolls inside it, with a hint. In TV
 * mode the headers are plain text (no sort buttons) and only the rows that fit the screen are
 * drawn, the rest counted.
 */
export function TableView({
  update,
  changedRowKeys = [],
  changes,
  rowLimit = TABLE_ROW_LIMIT,
  locale,
}: TableViewProps) {
  // TV mode: nothing asks a question, so no sort buttons (and no sort: the SQL's order).
  const kiosk = useKiosk();
  const [sort, setSort] = useState<TableSort | undefined>();
  const rows = useMemo(
    () => sortRows(update.rows, update.columns, sort),
    [update.rows, update.columns, sort],
  );
  const changed = useMemo(() => new Set(changedRowKeys), [changedRowKeys]);
  const diffed = useMemo(
    () => (changes ? rowChanges(update, changes) : undefined),
    [update, changes],
  );
  const { ref, more } = useScrollHint();
  const fitting = useRowsThatFit(kiosk);
  const shown = rows.slice(0, Math.min(rowLimit, fitting.fit ?? rowLimit));
  const hidden = rows.length - shown.length;
  const seen = new Map<string, number>();
  const sortedBy = sort ? update.columns.find((c) => c.name === sort.column) : undefined;

  if (update.columns.length === 0 || rows.length === 0) {
    return <p className="empty-note">No rows.</p>;
  }

  return (
    <div className="table-wrap">
      <div className="table-toolbar">
        <span className="table-order" data-testid="table-order" aria-live="polite">
          {sortedBy && sort
            ? `Sorted by ${humanize(sortedBy.name)}, ${sort.direction === 'asc' ? 'ascending' : 'descending'}`
            : 'In SQL order — click a column header to sort'}
        </span>
        {sort && (
          <button
            type="button"
            className="btn btn--small"
            data-testid="sql-order"
            onClick={() => setSort(undefined)}
          >
            Back to SQL order
          </button>
        )}
        {more.right && (
          <span className="table-scroll-hint" aria-hidden="true">
            scroll →
          </span>
        )}
      </div>
      <div
        ref={fitting.ref}
        className={`table-frame${more.right ? ' has-more-right' : ''}${more.left ? ' has-more-left' : ''}`}
      >
        <div
          className="table-scroll"
          ref={ref}
          tabIndex={0}
          role="region"
          aria-label={more.right || more.left ? 'Rows (scrolls sideways)' : 'Rows'}
        >
          <table className="data-table">
            <thead>
              <tr>
                {update.columns.map((c) => {
                  const direction = sort?.column === c.name ? sort.direction : undefined;
                  return (
                    <th
                      key={c.name}
                      scope="col"
                      className={c.type === 'number' ? 'num' : undefined}
                      data-column={c.name}
                      aria-sort={direction ? ARIA_SORT[direction] : undefined}
                    >
                      {kiosk ? (
                        humanize(c.name)
                      ) : (
                        <button
                          type="button"
                          className="th-sort"
                          onClick={() => setSort((s) => nextSort(s, c.name))}
                        >
                          {humanize(c.name)}
                          <span
                            className={`sort-indicator sort-indicator--${direction ?? 'none'}`}
                            aria-hidden="true"
                          >
                            {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : '↕'}
                          </span>
                        </button>
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => {
                const key = rowKey(row);
                const change = diffed?.get(row);
                const isChanged = diffed ? change !== undefined : changed.has(key);
                const kind = change?.kind ?? (isChanged ? 'changed' : undefined);
                // Identical rows without an id share a key: number the repeats.
                const repeat = (seen.get(key) ?? 0) + 1;
                seen.set(key, repeat);
                const stable = repeat === 1 ? key : `${key}#${repeat}`;
                return (
                  <tr
                    // A changed row gets a fresh element per version so its highlight replays.
                    key={isChanged ? `${stable}@${update.version}` : stable}
                    className={kind ? `row-changed row-${kind}` : undefined}
                    data-changed={isChanged ? 'true' : undefined}
                    data-change={kind}
                  >
                    {update.columns.map((c) => {
                      const cell =
                        change?.kind === 'changed' ? change.cells.get(c.name) : undefined;
                      const was = cell ? previousValueText(cell, c, locale) : undefined;
                      return (
                        <td
                          key={c.name}
                          className={cellClass(c, cell !== undefined)}
                          title={was ? `Changed: ${was}` : undefined}
                          data-was={was}
                        >
                          <Cell value={row[c.name]} column={c} locale={locale} />
                          {was && <span className="sr-only"> (changed, {was})</span>}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
      {(hidden > 0 || update.truncated) && (
        <p className="table-note" role="note">
          {hidden > 0 && (
            <span>
              {hidden.toLocaleString(locale)} more {hidden === 1 ? 'row' : 'rows'} not shown
              (showing the first {shown.length.toLocaleString(locale)}).
            </span>
          )}{' '}
          {update.truncated && (
            <span className="table-note-truncated">
              Showing the first {rows.length.toLocaleString(locale)} rows (truncated by server).
            </span>
          )}
        </p>
      )}
    </div>
  );
}
