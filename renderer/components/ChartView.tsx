import { useMemo, useSyncExternalStore } from 'react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { Column, SectionUpdate, ViewSpec } from '../../common/protocol.js';
import {
  formatCompact,
  formatFigure,
  formatFullDate,
  formatShortDate,
  humanize,
  isCalendarDate,
  parseTime,
} from '../format/format.js';

export interface ChartViewProps {
  view: ViewSpec;
  update: SectionUpdate;
  /** Pixel height; by default the stylesheet's (it grows with the type on wall screens). */
  height?: number;
}

/** Chart colours per theme, read from the stylesheet's CSS variables once per theme. */
export interface ChartPalette {
  series: string[];
  grid: string;
  axis: string;
  cursor: string;
}

const DARK: ChartPalette = {
  series: ['#7c9cff', '#2dd4bf', '#fbbf24', '#f472b6', '#a78bfa', '#34d399'],
  grid: '#232938',
  axis: '#8a93a6',
  cursor: 'rgba(124,156,255,0.08)',
};
const LIGHT: ChartPalette = {
  series: ['#3b5bdb', '#0d9488', '#d97706', '#db2777', '#7c3aed', '#059669'],
  grid: '#e4e7ee',
  axis: '#5b6475',
  cursor: 'rgba(59,91,219,0.06)',
};

const palettes = new Map<string, ChartPalette>();

function subscribeTheme(onChange: () => void): () => void {
  if (typeof MutationObserver === 'undefined') return () => undefined;
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

function currentTheme(): string {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

function readPalette(theme: string): ChartPalette {
  const cached = palettes.get(theme);
  if (cached) return cached;
  const fallback = theme === 'light' ? LIGHT : DARK;
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, otherwise: string) =>
    style.getPropertyValue(name).trim() || otherwise;
  const palette: ChartPalette = {
    series: fallback.series.map((color, i) => read(`--chart-${i + 1}`, color)),
    grid: read('--chart-grid', fallback.grid),
    axis: read('--chart-axis', fallback.axis),
    cursor: read('--chart-cursor', fallback.cursor),
  };
  // Only cache what the stylesheet really provided (it may not be loaded yet).
  if (style.getPropertyValue('--chart-1').trim()) palettes.set(theme, palette);
  return palette;
}

/** The chart palette of the current theme (html[data-theme]); re-read when the theme changes. */
export function useChartPalette(): ChartPalette {
  const theme = useSyncExternalStore(subscribeTheme, currentTheme, () => 'dark');
  return useMemo(() => readPalette(theme), [theme]);
}

type XKind = 'category' | 'calendar' | 'instant';

export interface ChartModel {
  xKey: string;
  xKind: XKind;
  series: { key: string; label: string; axis: 'left' | 'right' }[];
  data: Record<string, string | number | null>[];
}

const X = '__x';

/** Which column is x, which are series, which series go on the right axis, and the rows as chart data. */
export function chartModel(view: ViewSpec, update: SectionUpdate): ChartModel {
  const columns = update.columns;
  const byName = new Map<string, Column>(columns.map((c) => [c.name, c]));
  const xKey = view.x ?? columns.find((c) => c.type !== 'number')?.name ?? columns[0]?.name ?? 'x';
  const yKeys =
    view.y && view.y.length > 0
      ? view.y
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
    point[X] =
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
  // scale (orders next to revenue): they get the right-hand axis.
  const magnitude = (key: string) =>
    data.reduce((max, p) => Math.max(max, Math.abs(typeof p[key] === 'number' ? p[key] : 0)), 0);
  const sizes = yKeys.map(magnitude);
  const largest = Math.max(0, ...sizes);
  const series = yKeys.map((key, i) => {
    const size = sizes[i] ?? 0;
    const small = largest > 0 && size > 0 && size * 8 < largest;
    return { key, label: humanize(key), axis: small ? ('right' as const) : ('left' as const) };
  });
  return { xKey, xKind, series, data };
}

function formatX(value: unknown, kind: XKind, full: boolean): string {
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

function ChartTooltip({
  active,
  payload,
  label,
  xKind,
  labels,
}: TooltipContentProps & { xKind: XKind; labels: Map<string, string> }) {
  if (!active || payload.length === 0) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-label">{formatX(label, xKind, true)}</div>
      <ul>
        {payload.map((entry) => {
          const key = String(entry.dataKey);
          const value = entry.value;
          return (
            <li key={key}>
              <span className="swatch" style={{ background: entry.color }} aria-hidden="true" />
              <span className="chart-tooltip-name">{labels.get(key) ?? key}</span>
              <span className="chart-tooltip-value">
                {typeof value === 'number' ? formatFigure(key, value) : '—'}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The root font size in px: chart measures follow it, as the type grows on wall screens. */
function remPx(): number {
  if (typeof document === 'undefined') return 14;
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 14;
}

/** Width for a y axis whose longest tick label is `chars` characters. */
function axisWidth(chars: number): number {
  return Math.ceil(remPx() * (0.82 * 0.62 * chars + 0.9));
}

function longestTick(model: ChartModel, axis: 'left' | 'right'): number {
  let max = 0;
  for (const s of model.series) {
    if (s.axis !== axis) continue;
    for (const point of model.data) {
      const v = point[s.key];
      if (typeof v === 'number') max = Math.max(max, Math.abs(v));
    }
  }
  // Ticks go a little beyond the largest value: measure one "nice" step above it.
  return Math.max(formatCompact(max * 1.25).length, formatCompact(max).length, 2);
}

function renderChart(type: ViewSpec['type'], model: ChartModel, palette: ChartPalette) {
  const hasRight = model.series.some((s) => s.axis === 'right');
  const labels = new Map(model.series.map((s) => [s.key, s.label]));
  const color = (i: number) => palette.series[i % palette.series.length] ?? '#888';
  // Font size comes from the stylesheet, so ticks scale with the type on wall screens.
  const tick = { fill: palette.axis };
  const compact = (v: number) => formatCompact(v);
  // Many category labels (agent names) do not fit side by side: slant them and show them all.
  const slanted = model.xKind === 'category' && model.data.length > 6;
  const rem = remPx();
  const longestCategory = slanted
    ? Math.min(18, Math.max(...model.data.map((p) => String(p[X] ?? '').length)))
    : 0;
  const xAxis = (
    <XAxis
      key="x"
      dataKey={X}
      type={model.xKind === 'instant' ? 'number' : 'category'}
      {...(model.xKind === 'instant'
        ? { scale: 'time' as const, domain: ['dataMin', 'dataMax'] }
        : {})}
      tickFormatter={(v: unknown) => formatX(v, model.xKind, false)}
      tick={tick}
      tickLine={false}
      axisLine={{ stroke: palette.grid }}
      minTickGap={slanted ? 0 : 18}
      interval={slanted ? 0 : 'preserveStartEnd'}
      tickMargin={slanted ? 4 : 8}
      {...(slanted
        ? {
            angle: -32,
            textAnchor: 'end',
            // sin(32°) of the longest label, in characters of the tick font
            height: Math.ceil(rem * (0.82 * 0.55 * longestCategory * 0.53 + 1.6)),
          }
        : {})}
    />
  );
  const common = [
    <CartesianGrid key="grid" stroke={palette.grid} strokeDasharray="3 3" vertical={false} />,
    xAxis,
    <YAxis
      key="left"
      yAxisId="left"
      tickFormatter={compact}
      niceTicks="snap125"
      tick={tick}
      tickLine={false}
      axisLine={false}
      width={axisWidth(longestTick(model, 'left'))}
    />,
    hasRight ? (
      <YAxis
        key="right"
        yAxisId="right"
        orientation="right"
        tickFormatter={compact}
        niceTicks="snap125"
        tick={tick}
        tickLine={false}
        axisLine={false}
        width={axisWidth(longestTick(model, 'right'))}
      />
    ) : null,
    <Tooltip
      key="tooltip"
      isAnimationActive={false}
      cursor={
        type === 'bar' ? { fill: palette.cursor } : { stroke: palette.axis, strokeDasharray: '3 3' }
      }
      content={(props: TooltipContentProps) => (
        <ChartTooltip {...props} xKind={model.xKind} labels={labels} />
      )}
    />,
  ];
  // A slanted first label reaches left of the plot: leave it room.
  const left = slanted
    ? Math.max(
        4,
        Math.ceil(rem * 0.82 * 0.55 * longestCategory * 0.85) -
          axisWidth(longestTick(model, 'left')),
      )
    : 4;
  const margin = { top: 8, right: hasRight ? 4 : 12, bottom: 0, left };

  if (type === 'bar') {
    return (
      <BarChart data={model.data} margin={margin} barCategoryGap="22%" barGap={2}>
        {common}
        {model.series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            yAxisId={s.axis}
            fill={color(i)}
            radius={[3, 3, 0, 0]}
            maxBarSize={28}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    );
  }
  if (type === 'area') {
    return (
      <AreaChart data={model.data} margin={margin}>
        {common}
        {model.series.map((s, i) => (
          <Area
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.label}
            yAxisId={s.axis}
            stroke={color(i)}
            fill={color(i)}
            fillOpacity={0.14}
            strokeWidth={2}
            dot={false}
            activeDot={{ r: 4 }}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    );
  }
  return (
    <LineChart data={model.data} margin={margin}>
      {common}
      {model.series.map((s, i) => (
        <Line
          key={s.key}
          type="monotone"
          dataKey={s.key}
          name={s.label}
          yAxisId={s.axis}
          stroke={color(i)}
          strokeWidth={2}
          {...(s.axis === 'right' ? { strokeDasharray: '5 4' } : {})}
          dot={false}
          activeDot={{ r: 4 }}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}

/**
 * `line`, `area` and `bar` sections as recharts charts: x from view.x, one series per view.y
 * column, formatted axes (short local dates, compact numbers), a tooltip with full values, a
 * legend, and a right-hand axis for series of a much smaller magnitude. No animation: live updates
 * redraw in place instead of replaying.
 */
export function ChartView({ view, update, height }: ChartViewProps) {
  const palette = useChartPalette();
  const model = useMemo(() => chartModel(view, update), [view, update]);
  const hasRight = model.series.some((s) => s.axis === 'right');
  const color = (i: number) => palette.series[i % palette.series.length] ?? '#888';
  // Recharts re-derives its whole layout when any prop object changes: build the chart once per
  // data/theme change, never on unrelated re-renders.
  const chart = useMemo(() => renderChart(view.type, model, palette), [view.type, model, palette]);

  if (model.data.length === 0) return <p className="empty-note">No rows.</p>;

  return (
    <figure className="chart">
      <ul className="chart-legend" aria-label="Series">
        {model.series.map((s, i) => (
          <li key={s.key}>
            <span
              className={`swatch swatch--${view.type === 'line' && s.axis === 'right' ? 'dashed' : 'solid'}`}
              style={{ color: color(i) }}
              aria-hidden="true"
            />
            {s.label}
            {hasRight && (
              <span className="chart-legend-axis">
                {s.axis === 'right' ? 'right axis' : 'left axis'}
              </span>
            )}
          </li>
        ))}
      </ul>
      <div className="chart-canvas" style={height ? { height } : undefined}>
        <ResponsiveContainer
          width="100%"
          height="100%"
          minWidth={0}
          initialDimension={{ width: 600, height: height ?? 280 }}
        >
          {chart}
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        {humanize(model.xKey)} against {model.series.map((s) => s.label).join(', ')}
      </figcaption>
    </figure>
  );
}
