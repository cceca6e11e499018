/**
 * The chart model's pure data shaping: which series get the right-hand axis, and how calendar days
 * and instants on the x axis are kept and shown. Runs west of UTC, where a calendar day read as
 * midnight UTC would show as the day before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column, Row, SectionUpdate, ViewSpec } from '../../common/protocol.js';
import { chartModel, formatX, offersWindow, windowModel, X_FIELD } from './chartModel.js';

const originalTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/Los_Angeles';
});
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

function update(columns: Column[], rows: Row[]): SectionUpdate {
  return {
    section: 'test',
    version: 1,
    rows,
    columns,
    changedAt: '2026-11-22T10:00:00.000Z',
    queriedAt: '2026-11-22T10:00:00.000Z',
  };
}

const daily: Column[] = [
  { name: 'day', type: 'time' },
  { name: 'revenue', type: 'number' },
  { name: 'orders', type: 'number' },
];

/** How the local calendar shows a day (what a person west of UTC expects for that date). */
function localDay(year: number, monthIndex: number, day: number, full: boolean): string {
  const options: Intl.DateTimeFormatOptions = full
    ? { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }
    : { month: 'short', day: 'numeric' };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(year, monthIndex, day));
}

describe('chartModel', () => {
  it('makes no series of a view.y column the result does not have', () => {
    const view: ViewSpec = { type: 'line', x: 'day', y: ['revenue', 'nope'] };
    const model = chartModel(view, update(daily, [{ day: '2026-11-21', revenue: 5, orders: 1 }]));
    expect(model.series.map((s) => s.key)).toEqual(['revenue']);
    expect(model.data[0]).not.toHaveProperty('nope');
  });

  it('puts series of a much smaller magnitude on the right axis', () => {
    const model = chartModel(
      { type: 'line', x: 'day', y: ['revenue', 'orders'] },
      update(daily, [
        { day: '2026-11-21', revenue: 12_400, orders: 41 },
        { day: '2026-11-22', revenue: 15_100, orders: 52 },
      ]),
    );
    expect(model.series).toEqual([
      { key: 'revenue', label: 'Revenue', axis: 'left', panel: 0 },
      { key: 'orders', label: 'Orders', axis: 'right', panel: 0 },
    ]);
  });

  it('keeps series of comparable magnitude, and empty ones, on the left axis', () => {
    const model = chartModel(
      { type: 'area' },
      update(
        [
          { name: 'at', type: 'time' },
          { name: 'p50', type: 'number' },
          { name: 'p99', type: 'number' },
          { name: 'errors', type: 'number' },
        ],
        [
          { at: '2026-11-22T10:00:00Z', p50: 20, p99: 150, errors: null },
          { at: '2026-11-22T10:05:00Z', p50: 25, p99: 160, errors: 0 },
        ],
      ),
    );
    expect(model.series.map((s) => [s.key, s.axis])).toEqual([
      ['p50', 'left'],
      ['p99', 'left'],
      ['errors', 'left'],
    ]);
  });

  it('keeps calendar days as written and shows them as that local date', () => {
    const view: ViewSpec = { type: 'line', x: 'day', y: ['revenue'] };
    const model = chartModel(
      view,
      update(daily, [
        { day: '2026-11-21', revenue: 1 },
        // A database DATE once serialized: midnight UTC, still a calendar day.
        { day: '2026-11-22T00:00:00.000Z', revenue: 2 },
      ]),
    );
    expect(model.xKind).toBe('calendar');
    expect(model.data.map((p) => p[X_FIELD])).toEqual(['2026-11-21', '2026-11-22T00:00:00.000Z']);
    // Read as instants, both would be the evening before in Los Angeles.
    expect(formatX(Date.UTC(2026, 10, 22), 'instant', false)).toBe(localDay(2026, 10, 21, false));
    expect(formatX('2026-11-21', model.xKind, false)).toBe(localDay(2026, 10, 21, false));
    expect(formatX('2026-11-22T00:00:00.000Z', model.xKind, false)).toBe(
      localDay(2026, 10, 22, false),
    );
    expect(formatX('2026-11-22', model.xKind, true)).toBe(localDay(2026, 10, 22, true));
  });

  it('turns timestamps into instants (epoch ms), and keeps bar chart x values as categories', () => {
    const rows: Row[] = [
      { day: '2026-11-22T10:15:00Z', revenue: 1 },
      { day: '2026-11-22', revenue: 2 },
    ];
    const line = chartModel({ type: 'line', x: 'day' }, update(daily, rows));
    expect(line.xKind).toBe('instant');
    expect(line.data.map((p) => p[X_FIELD])).toEqual([
      Date.UTC(2026, 10, 22, 10, 15),
      Date.UTC(2026, 10, 22),
    ]);
    const bar = chartModel({ type: 'bar', x: 'day' }, update(daily, rows));
    expect(bar.xKind).toBe('category');
    expect(bar.data.map((p) => p[X_FIELD])).toEqual(['2026-11-22T10:15:00Z', '2026-11-22']);
  });

  it('picks x and the series from the column types when the view does not name them', () => {
    const model = chartModel(
      { type: 'bar' },
      update(
        [
          { name: 'tickets', type: 'number' },
          { name: 'agent', type: 'string' },
        ],
        [
          { agent: 'Ada', tickets: 3 },
          { agent: 'Grace', tickets: Number.NaN },
        ],
      ),
    );
    expect(model.xKey).toBe('agent');
    expect(model.series.map((s) => s.key)).toEqual(['tickets']);
    expect(model.data).toEqual([
      { [X_FIELD]: 'Ada', tickets: 3 },
      { [X_FIELD]: 'Grace', tickets: null },
    ]);
  });
});

describe('time windows', () => {
  const days = Array.from({ length: 30 }, (_, i) => ({
    day: new Date(Date.UTC(2026, 10, 2 + i)).toISOString().slice(0, 10),
    revenue: i,
    orders: i,
  }));
  const line: ViewSpec = { type: 'line', x: 'day', y: ['revenue', 'orders'] };

  it('keeps the latest 7 or 30 calendar days, relative to the last point', () => {
    const model = chartModel(line, update(daily, days));
    expect(offersWindow('line', model)).toBe(true);
    const week = windowModel(model, '7d');
    expect(week.data.map((p) => p[X_FIELD])).toEqual(days.slice(-7).map((d) => d.day));
    expect(windowModel(model, '30d').data).toHaveLength(30);
    expect(windowModel(model, 'all')).toBe(model);
  });

  it('cuts instants at exactly the window before the latest point', () => {
    const hourly: Column[] = [
      { name: 'at', type: 'time' },
      { name: 'n', type: 'number' },
    ];
    const rows = Array.from({ length: 24 * 10 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(),
      n: i,
    }));
    const model = chartModel({ type: 'area', x: 'at' }, update(hourly, rows));
    expect(model.xKind).toBe('instant');
    // 7 days back from the last hour, both ends included.
    expect(windowModel(model, '7d').data).toHaveLength(7 * 24 + 1);
  });

  it('offers no window on bar charts or a category x', () => {
    const bar = chartModel({ type: 'bar', x: 'day' }, update(daily, days));
    expect(offersWindow('bar', bar)).toBe(false);
    const names = chartModel(
      { type: 'line', x: 'agent' },
      update(
        [
          { name: 'agent', type: 'string' },
          { name: 'n', type: 'number' },
        ],
        [{ agent: 'a', n: 1 }],
      ),
    );
    expect(offersWindow('line', names)).toBe(false);
    expect(windowModel(names, '7d')).toBe(names);
  });
});
