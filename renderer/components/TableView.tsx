import { useMemo, useState } from 'react';
import type { Column, SectionUpdate } from '../../common/protocol.js';
import { useScrollHint } from '../hooks/useScrollHint.js';
import { rowKey } from '../live/sectionsReducer.js';
import { humanize, isMoneyColumn } from '../format/format.js';
import { Cell } from './TableCell.js';
import { nextSort, sortRows, type TableSort } from './tableSort.js';

/** Rows rendered at most; the rest are counted, not drawn (bounded rendering). */
export const TABLE_ROW_LIMIT = 200;

export interface TableViewProps {
  update: SectionUpdate;
  /** Keys (rowKey) of rows new or changed in this update: highlighted for a moment. */
  changedRowKeys?: readonly string[];
  rowLimit?: number;
  locale?: string;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

function cellClass(c: Column): string | undefined {
  const classes = [
    c.type === 'number' ? 'num' : '',
    c.type === 'number' && isMoneyColumn(c.name) ? 'money' : '',
    c.name === 'id' ? 'id' : '',
    c.type === 'time' ? 'time' : '',
  ].filter(Boolean);
  return classes.join(' ') || undefined;
}

/**
 * A `table` section: the rows exactly in the order the SQL returned them, unless the user sorts by
 * a column header (ascending, descending, back to SQL order); values formatted for the locale;
 * rows changed in this update highlighted (the animation replays per version); at most
 * TABLE_ROW_LIMIT rows drawn. A table wider than its card scrolls inside it, with a hint.
 */
export function TableView({
  update,
  changedRowKeys = [],
  rowLimit = TABLE_ROW_LIMIT,
  locale,
}: TableViewProps) {
  const [sort, setSort] = useState<TableSort | undefined>();
  const rows = useMemo(
    () => sortRows(update.rows, update.columns, sort),
    [update.rows, update.columns, sort],
  );
  const changed = useMemo(() => new Set(changedRowKeys), [changedRowKeys]);
  const { ref, more } = useScrollHint();
  const shown = rows.slice(0, rowLimit);
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
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => {
                const key = rowKey(row);
                const isChanged = changed.has(key);
                // Identical rows without an id share a key: number the repeats.
                const repeat = (seen.get(key) ?? 0) + 1;
                seen.set(key, repeat);
                const stable = repeat === 1 ? key : `${key}#${repeat}`;
                return (
                  <tr
                    // A changed row gets a fresh element per version so its highlight replays.
                    key={isChanged ? `${stable}@${update.version}` : stable}
                    className={isChanged ? 'row-changed' : undefined}
                    data-changed={isChanged ? 'true' : undefined}
                  >
                    {update.columns.map((c) => (
                      <td key={c.name} className={cellClass(c)}>
                        <Cell value={row[c.name]} column={c} locale={locale} />
                      </td>
                    ))}
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
