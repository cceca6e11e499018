import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { ViewSpec } from '../../common/protocol.js';
import { formatCompact } from '../format/format.js';
import type { ChartPalette } from '../hooks/useChartPalette.js';
import { ChartTooltip } from './ChartTooltip.js';
import { formatX, longestTick, X_FIELD, type ChartModel } from './chartModel.js';

/** The root font size in px: chart measures follow it, as the type grows on wall screens. */
function remPx(): number {
  if (typeof document === 'undefined') return 14;
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 14;
}

/** Width for a y axis whose longest tick label is `chars` characters. */
function axisWidth(chars: number): number {
  return Math.ceil(remPx() * (0.82 * 0.62 * chars + 0.9));
}

/**
 * The recharts chart of a section: grid, axes (a right one for series of a much smaller
 * magnitude), tooltip and one bar, area or line per series. Slanted labels when many categories.
 */
export function renderChart(type: ViewSpec['type'], model: ChartModel, palette: ChartPalette) {
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
    ? Math.min(18, Math.max(...model.data.map((p) => String(p[X_FIELD] ?? '').length)))
    : 0;
  const xAxis = (
    <XAxis
      key="x"
      dataKey={X_FIELD}
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
