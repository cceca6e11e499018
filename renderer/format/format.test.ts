import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatBytes,
  formatCell,
  formatDuration,
  formatFigure,
  formatMoney,
  formatNumber,
  formatShortDate,
  formatTime,
  humanize,
  isCalendarDate,
  isMoneyColumn,
  parseTime,
} from './format.js';

describe('numbers', () => {
  it('formats integers without decimals and others with up to two', () => {
    expect(formatNumber(1234567, 2, 'en-US')).toBe('1,234,567');
    expect(formatNumber(3.14159, 2, 'en-US')).toBe('3.14');
    expect(formatNumber(1234.5, 2, 'de-DE')).toBe('1.234,5');
    expect(formatNumber(Number.NaN)).toBe('—');
  });

  it('gives money-like columns two decimals, counts none', () => {
    expect(isMoneyColumn('revenue_today')).toBe(true);
    expect(isMoneyColumn('avg_order_value')).toBe(true);
    expect(isMoneyColumn('total')).toBe(true);
    expect(isMoneyColumn('totalRevenue')).toBe(true);
    expect(isMoneyColumn('orders_today')).toBe(false);
    expect(isMoneyColumn('open_orders')).toBe(false);
    expect(formatMoney(1234.5, 'en-US')).toBe('1,234.50');
    expect(formatFigure('revenue_today', 1200, 'en-US')).toBe('1,200.00');
    expect(formatFigure('orders_today', 42, 'en-US')).toBe('42');
  });

  it('formats bytes in binary units', () => {
    expect(formatBytes(512, 'en-US')).toBe('512 B');
    expect(formatBytes(1536, 'en-US')).toBe('1.5 KB');
    expect(formatBytes(83.4 * 1024 * 1024, 'en-US')).toBe('83.4 MB');
    expect(formatBytes(300 * 1024 * 1024, 'en-US')).toBe('300 MB');
  });
});

describe('durations', () => {
  it('reads like people talk', () => {
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(3 * 60_000 + 5000)).toBe('3 min');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
    expect(formatDuration(-50)).toBe('0 s');
    expect(formatAgo(500)).toBe('just now');
    expect(formatAgo(12_000)).toBe('12 s ago');
    expect(formatAgo(180_000)).toBe('3 min ago');
  });
});

describe('times', () => {
  it('reads timestamps without a zone as UTC, as the protocol sends them', () => {
    expect(parseTime('2026-11-22T10:15:03.120Z')).toBe(Date.UTC(2026, 10, 22, 10, 15, 3, 120));
    expect(parseTime('2026-11-22 10:15:03')).toBe(Date.UTC(2026, 10, 22, 10, 15, 3));
    expect(parseTime('2026-11-22')).toBe(Date.UTC(2026, 10, 22));
  });

  it('shows calendar days as that day in every time zone', () => {
    expect(isCalendarDate('2026-11-22')).toBe(true);
    expect(isCalendarDate('2026-11-22T00:00:00.000Z')).toBe(true);
    expect(isCalendarDate('2026-11-22T10:00:00.000Z')).toBe(false);
    expect(formatShortDate('2026-11-22', 'en-US')).toBe('Nov 22');
  });

  it('shows instants in local time, with the date when not today', () => {
    const at = Date.UTC(2026, 10, 22, 10, 15, 3);
    const local = new Intl.DateTimeFormat('en-US', { timeStyle: 'medium' }).format(at);
    expect(formatTime('2026-11-22T10:15:03Z', 'en-US', at + 1000)).toBe(local);
    const older = formatTime('2026-11-20T10:15:03Z', 'en-US', at);
    expect(older).toMatch(/Nov (19|20|21)/);
  });
});

describe('labels and cells', () => {
  it('humanizes column names', () => {
    expect(humanize('revenue_today')).toBe('Revenue today');
    expect(humanize('avg_order_value')).toBe('Average order value');
    expect(humanize('customer_name')).toBe('Customer name');
    expect(humanize('eventLoopLagMs')).toBe('Event loop lag ms');
    expect(humanize('id')).toBe('ID');
  });

  it('formats cells by type and name', () => {
    expect(formatCell(null, 'total', 'number', 'en-US')).toBe('—');
    expect(formatCell(1234.5, 'total', 'number', 'en-US')).toBe('1,234.50');
    expect(formatCell(12345, 'id', 'number', 'en-US')).toBe('12345');
    expect(formatCell(true, 'paid', 'boolean')).toBe('Yes');
    expect(formatCell('open', 'status', 'string')).toBe('open');
  });
});
