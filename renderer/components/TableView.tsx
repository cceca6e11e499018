import { useMemo } from 'react';
import type { CellValue, Column, Row, SectionUpdate } from '../../common/protocol.js';
import { rowKey } from '../live/sectionsReducer.js';
import { formatCell, humanize, isMoneyColumn, parseTime } from '../format/format.js';

/** Rows rendered at most; the rest are counted, not drawn (bounded rendering). */
export const TABLE_ROW_LIMIT = 200;

export interface TableViewProps {
  update: SectionUpdate;
  /** Keys (rowKey) of rows new or changed in this update: highlighted for a moment. */
  changedRowKeys?: readonly string[];
  rowLimit?: number;
  locale?: string;
}

const STATUS_TONES: Record<string, string> = {
  open: 'info',
  pending: 'info',
  active: 'info',
  running: 'info',
  new: 'info',
  closed: 'success',
  done: 'success',
  paid: 'success',
  completed: 'success',
  ok: 'success',
  success: 'success',
  healthy: 'success',
  refunded: 'danger',
  failed: 'danger',
  error: 'danger',
  cancelled: 'danger',
  canceled: 'danger',
  rejected: 'danger',
  warning: 'warn',
  degraded: 'warn',
};

function isStatusColumn(column: Column): boolean {
  return column.type === 'string' && /(^|_)(status|state)$/i.test(column.name);
}

/** The column that orders rows in time: created_at, else the first time column. */
function timeColumn(columns: readonly Column[]): string | undefined {
  return (
    columns.find((c) => c.name === 'created_at' && c.type === 'time')?.name ??
    columns.find((c) => c.type === 'time')?.name
  );
}

function timeOf(value: CellValue | undefined): number {
  return typeof value === 'string' || typeof value === 'number' ? parseTime(value) : NaN;
}

/** Newest first: the server usually orders so already; ascending time-ordered rows are reversed. */
export function newestFirst(rows: readonly Row[], columns: readonly Column[]): readonly Row[] {
  const column = timeColumn(columns);
  if (!column || rows.length < 2) return rows;
  const first = timeOf(rows[0]?.[column]);
  const last = timeOf(rows[rows.length - 1]?.[column]);
  return first < last ? [...rows].reverse() : rows;
}

function Cell({
  value,
  column,
  locale,
}: {
  value: CellValue | undefined;
  column: Column;
  locale?: string | undefined;
}) {
  if (isStatusColumn(column) && typeof value === 'string') {
    const tone = STATUS_TONES[value.toLowerCase()] ?? 'neutral';
    return <span className={`pill pill--${tone}`}>{value}</span>;
  }
  if (typeof value === 'boolean') {
    return <span className={`bool bool--${value ? 'yes' : 'no'}`}>{value ? 'Yes' : 'No'}</span>;
  }
  const text = formatCell(value, column.name, column.type, locale);
  if (column.type === 'time' && typeof value === 'string') {
    return <time dateTime={value}>{text}</time>;
  }
  return <>{text}</>;
}

/**
 * A `table` section: columns from the update, newest rows first, values formatted for the locale,
 * rows changed in this update highlighted (the animation replays per version), at most
 * TABLE_ROW_LIMIT rows drawn.
 */
export function TableView({
  update,
  changedRowKeys = [],
  rowLimit = TABLE_ROW_LIMIT,
  locale,
}: TableViewProps) {
  const rows = useMemo(
    () => newestFirst(update.rows, update.columns),
    [update.rows, update.columns],
  );
  const changed = useMemo(() => new Set(changedRowKeys), [changedRowKeys]);
  const shown = rows.slice(0, rowLimit);
  const hidden = rows.length - shown.length;
  const seen = new Map<string, number>();

  if (update.columns.length === 0 || rows.length === 0) {
    return <p className="empty-note">No rows.</p>;
  }

  return (
    <div className="table-wrap">
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Rows">
        <table className="data-table">
          <thead>
            <tr>
              {update.columns.map((c) => (
                <th
                  key={c.name}
                  scope="col"
                  className={c.type === 'number' ? 'num' : undefined}
                  data-column={c.name}
                >
                  {humanize(c.name)}
                </th>
              ))}
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
                  {update.columns.map((c) => {
                    const classes = [
                      c.type === 'number' ? 'num' : '',
                      c.type === 'number' && isMoneyColumn(c.name) ? 'money' : '',
                      c.name === 'id' ? 'id' : '',
                      c.type === 'time' ? 'time' : '',
                    ].filter(Boolean);
                    return (
                      <td key={c.name} className={classes.join(' ') || undefined}>
                        <Cell value={row[c.name]} column={c} locale={locale} />
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
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
