/**
 * Locale formatting for the console: numbers, money-like figures, bytes, durations, times and
 * column names. Intl formatters are costly to build, so they are cached per locale and options.
 * `locale` defaults to the user's (the browser's) locale; tests pass one explicitly.
 */
import type { CellValue, ColumnType } from '../../common/protocol.js';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A cached Intl.NumberFormat for `locale` and `options`. */
export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions) {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions) {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

const MONEY_WORDS =
  /(^|_|\b)(revenue|value|total|amount|price|cost|sales|income|profit|spend|balance|fee|fees|aov)(_|$|\b)/i;

/** Columns whose name reads like money get two decimals ("revenue_today", "avg_order_value"). */
export function isMoneyColumn(name: string): boolean {
  return MONEY_WORDS.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'));
}

/** A plain number: integers without decimals, others with up to `maxFractionDigits`. */
export function formatNumber(value: number, maxFractionDigits = 2, locale?: string): string {
  if (!Number.isFinite(value)) return '—';
  const digits = Number.isInteger(value) ? 0 : maxFractionDigits;
  return numberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** A money-like figure: always two decimals, grouped. The currency is not known, so no symbol. */
export function formatMoney(value: number, locale?: string): string {
  if (!Number.isFinite(value)) return '—';
  return numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** A figure for a column: money-like names with two decimals, everything else as formatNumber. */
export function formatFigure(name: string, value: number, locale?: string): string {
  return isMoneyColumn(name) ? formatMoney(value, locale) : formatNumber(value, 2, locale);
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in binary units with a readable precision: "512 B", "83.4 MB", "1.2 GB". */
export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : value >= 100 ? 0 : 1;
  const text = numberFormat(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
  return `${bytes < 0 ? '-' : ''}${text} ${BYTE_UNITS[unit] ?? 'B'}`;
}

/** A duration in words: "0 s", "12 s", "3 min", "2 h 5 min", "3 d". */
export function formatDuration(ms: number): string {
  // Sub-second periods (a 250 ms poll) must not read as "0 s".
  if (ms > 0 && ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  return `${Math.floor(hours / 24)} d`;
}

/** How long ago: "just now" under two seconds, then "12 s ago", "3 min ago". */
export function formatAgo(ms: number): string {
  if (ms < 2000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** True for a value that reads as an ISO 8601 date or timestamp. */
export function isTimeValue(value: unknown): value is string {
  return typeof value === 'string' && ISO_LIKE.test(value) && !Number.isNaN(parseTime(value));
}

/**
 * Epoch ms of a timestamp. The protocol sends UTC: a timestamp without a zone designator is read
 * as UTC, not as local time. A date-only value is midnight UTC of that day.
 */
export function parseTime(value: string | number | Date): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  if (DATE_ONLY.test(value)) return Date.parse(`${value}T00:00:00Z`);
  const text = value.includes(' ') && !value.includes('T') ? value.replace(' ', 'T') : value;
  return Date.parse(HAS_ZONE.test(text) ? text : `${text}Z`);
}

/**
 * A calendar day rather than an instant: "2026-11-22", or midnight UTC exactly (how a database
 * DATE arrives once serialized). Calendar days are shown as that day in every time zone.
 */
export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (DATE_ONLY.test(value)) return true;
  return /T00:00:00(\.0+)?Z$/.test(value) && !Number.isNaN(parseTime(value));
}

/** A short date for axis ticks: "Nov 22". Calendar days are not shifted by the time zone. */
export function formatShortDate(value: string | number, locale?: string): string {
  const ms = typeof value === 'number' ? value : parseTime(value);
  if (Number.isNaN(ms)) return String(value);
  const calendar = typeof value === 'string' && isCalendarDate(value);
  return dateFormat(locale, {
    month: 'short',
    day: 'numeric',
    ...(calendar ? { timeZone: 'UTC' } : {}),
  }).format(ms);
}

/** A full date for tooltips: "Sun, Nov 22, 2026" (calendar days) or with the local time. */
export function formatFullDate(value: string | number, locale?: string): string {
  const ms = typeof value === 'number' ? value : parseTime(value);
  if (Number.isNaN(ms)) return String(value);
  if (typeof value === 'string' && isCalendarDate(value)) {
    return dateFormat(locale, {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(ms);
  }
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(ms);
}

/**
 * A timestamp in local time: the time alone when it is today ("14:03:12"), else with the date
 * ("Nov 21, 14:03"). Calendar days show as the date alone.
 */
export function formatTime(
  value: string | number | Date,
  locale?: string,
  now = Date.now(),
): string {
  const ms = parseTime(value);
  if (Number.isNaN(ms)) return typeof value === 'string' ? value : '—';
  if (typeof value === 'string' && DATE_ONLY.test(value)) return formatShortDate(value, locale);
  const date = new Date(ms);
  const today = new Date(now);
  const sameDay =
    date.getFullYear() === today.getFullYear() &&
    date.getMonth() === today.getMonth() &&
    date.getDate() === today.getDate();
  if (sameDay) return dateFormat(locale, { timeStyle: 'medium' }).format(ms);
  const sameYear = date.getFullYear() === today.getFullYear();
  return dateFormat(locale, {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms);
}

const WORDS: Record<string, string> = {
  id: 'ID',
  avg: 'average',
  qty: 'quantity',
  pct: '%',
  url: 'URL',
  ip: 'IP',
  api: 'API',
  cpu: 'CPU',
  p99: 'p99',
  p95: 'p95',
  ms: 'ms',
};

/** A column name for people: "revenue_today" -> "Revenue today", "avg_order_value" -> "Average order value". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((word) => {
      const lower = word.toLowerCase();
      return WORDS[lower] ?? lower;
    });
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Any cell as text, by column type and name. */
export function formatCell(
  value: CellValue | undefined,
  name: string,
  type: ColumnType,
  locale?: string,
): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (type === 'number' && /(^|_)id$/i.test(name)) return String(value);
    return formatFigure(name, value, locale);
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') {
    if (type === 'time' && isTimeValue(value)) return formatTime(value, locale);
    return value;
  }
  return JSON.stringify(value);
}
