import type { CellValue, Column } from '../../common/protocol.js';
import { formatCell } from '../format/format.js';

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

export function isStatusColumn(column: Column): boolean {
  return column.type === 'string' && /(^|_)(status|state)$/i.test(column.name);
}

/** One table cell: status values as pills, booleans as Yes/No, times as <time>, the rest formatted. */
export function Cell({
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
