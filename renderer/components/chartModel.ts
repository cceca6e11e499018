/**
 * Section rows as chart data, for ChartView: which column is x and what kind of values it holds,
 * which columns are series and which of them go on the right axis, and how x values and ticks
 * read. Pure: no React, no DOM.
 */
import type { Column, SectionUpdate, ViewSpec } from '../../common/protocol.js';
import {
  formatFullDate,
  formatShortDate,
  humanize,
  isCalendarDate,
  parseTime,
} from '../format/format.js';
import { placeSeries, type Axis } from './chartAxes.js';
import { longestTickLabel } from './chartTicks.js';
import { resultColumns } from '../../common/viewColumns.js';

/** What the x values are: labels, calendar days (kept as written), or instants (epoch ms). */
export type XKind = 'category' | 'calendar' | 'instant';

export interface ChartModel {
  xKey: string;
  xKind: XKind;
  /** Series in view order; `panel` 0 is the main chart, higher ones are drawn below it. */
  series: { key: string; label: string; axis: Axis; panel: number }[];
  data: Record<string, string | number | null>[];
}

/** The data field that holds each point's x value. */
export const X_FIELD = '__x';

/** Which column is x, which are series, which series go on the right axis, and the rows as chart data. */
export function chartModel(view: ViewSpec, update: SectionUpdate): ChartModel {
  const columns = update.columns;
  const byName = new Map<string, Column>(columns.map((c) => [c.name, c]));
  const xKey = view.x ?? columns.find((c) => c.type !== 'number')?.name ?? columns[0]?.name ?? 'x';
  // A view.y column the result lacks is no series (the card's notice names it, see viewColumns).
  const have = new Set(resultColumns(update));
  const yKeys =
    view.y && view.y.length > 0
      ? view.y.filter((key) => have.has(key))
      : columns.filter((c) => c.type === 'number' && c.name !== xKey).map((c) => c.name);
  const xColumn = byName.get(xKey);
  const xValues = update.rows.map((r) => r[xKey]);
  let xKind: XKind = 'category';
  if (view.type !== 'bar' && xColumn?.type === 'time') {
    xKind = xValues.every((v) => v === null || isCalendarDate(v)) ? 'calendar' : 'instant';
  }

  const data = update.rows.map((row) => {
    const point: Record<string, string | number | null> = {};
    const x = row[xKey];
    point[X_FIELD] =
      xKind === 'instant' && typeof x === 'string'
        ? parseTime(x)
        : typeof x === 'number' || typeof x === 'string'
          ? x
          : x === null || x === undefined
            ? ''
            : JSON.stringify(x);
    for (const key of yKeys) {
      const value = row[key];
      point[key] = typeof value === 'number' && Number.isFinite(value) ? value : null;
    }
    return point;
  });

  // Series of a much smaller magnitude than the largest would be a flat line at zero on a shared
  // scale (orders next to revenue): they get the right-hand axis, or a panel of their own.
  const magnitude = (key: string) =>
    data.reduce((max, p) => Math.max(max, Math.abs(typeof p[key] === 'number' ? p[key] : 0)), 0);
  const sizes = new Map(yKeys.map((key) => [key, magnitude(key)]));
  const placements = placeSeries(yKeys, (key) => sizes.get(key) ?? 0, view.y2);
  const series = placements.map(({ key, axis, panel }) => ({
    key,
    label: humanize(key),
    axis,
    panel,
  }));
  return { xKey, xKind, series, data };
}

/** The client-side time windows of line and area charts with a time x. */
export const CHART_WINDOWS = [
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: 'all', label: 'All', days: undefined },
] as const;
export type ChartWindow = (typeof CHART_WINDOWS)[number]['id'];

const DAY = 24 * 60 * 60_000;

/** Whether a chart offers time windows: a line or area chart whose x is a time. */
export function offersWindow(type: ViewSpec['type'], model: ChartModel): boolean {
  return (type === 'line' || type === 'area') && model.xKind !== 'category';
}

/**
 * The model with only the points of the last `window` of its x range (relative to its latest
 * point, not to the clock: a chart of data that stopped a week ago still shows that week). For
 * calendar days, 7 days are the latest day and the 6 before it. Points without a time are left out
 * of a window; `all` and category charts keep every point.
 */
export function windowModel(model: ChartModel, window: ChartWindow): ChartModel {
  const days = CHART_WINDOWS.find((w) => w.id === window)?.days;
  if (days === undefined || model.xKind === 'category') return model;
  const times = model.data.map((p) => {
    const x = p[X_FIELD];
    return typeof x === 'number' ? x : typeof x === 'string' && x !== '' ? parseTime(x) : NaN;
  });
  const last = Math.max(...times.filter((t) => Number.isFinite(t)));
  if (!Number.isFinite(last)) return model;
  // Calendar days: whole days back from the latest, with half a day of slack for DST shifts.
  const from = model.xKind === 'calendar' ? last - (days - 1) * DAY - DAY / 2 : last - days * DAY;
  return { ...model, data: model.data.filter((_, i) => (times[i] ?? NaN) >= from) };
}

/** The model of one panel: the same data, only that panel's series. */
export function panelModels(model: ChartModel): ChartModel[] {
  const count = Math.max(0, ...model.series.map((s) => s.panel)) + 1;
  return Array.from({ length: count }, (_, panel) => ({
    ...model,
    series: model.series.filter((s) => s.panel === panel),
  })).filter((m) => m.series.length > 0);
}

/** An x value as an axis tick (short) or in the tooltip (`full`). */
export function formatX(value: unknown, kind: XKind, full: boolean): string {
  if (value === null || value === undefined) return '';
  if (kind === 'calendar' && typeof value === 'string') {
    return full ? formatFullDate(value) : formatShortDate(value);
  }
  if (kind === 'instant' && typeof value === 'number') {
    return full ? formatFullDate(value) : formatShortDate(value);
  }
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : JSON.stringify(value);
}

/** Characters in the longest tick label of an axis: room for a y axis to keep. */
export function longestTick(model: ChartModel, axis: 'left' | 'right'): number {
  let min = 0;
  let max = 0;
  for (const s of model.series) {
    if (s.axis !== axis) continue;
    for (const point of model.data) {
      const v = point[s.key];
      if (typeof v === 'number') {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
  }
  return longestTickLabel(min, max);
}
