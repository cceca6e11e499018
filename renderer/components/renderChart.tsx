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
import { xLabelLayout, type XLabelLayout } from './xAxisLabels.js';

/** What a line and an area series share: a smooth 2 px curve on its axis, no dots, no animation. */
function curveProps(series: ChartModel['series'][number], stroke: string) {
  return {
    type: 'monotone' as const,
    dataKey: series.key,
    name: series.label,
    yAxisId: series.axis,
    stroke,
    strokeWidth: 2,
    dot: false,
    activeDot: { r: 4 },
    isAnimationActive: false,
  };
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

/** How the x labels of a panel are laid out (category axes only), for the width there is. */
export function xLayoutOf(model: ChartModel, width: number | undefined): XLabelLayout | undefined {
  if (model.xKind !== 'category') return undefined;
  const hasRight = model.series.some((s) => s.axis === 'right');
  const leftWidth = axisWidth(longestTick(model, 'left'));
  const rightWidth = hasRight ? axisWidth(longestTick(model, 'right')) : 0;
  return xLabelLayout(
    model.data.length,
    Math.max(1, ...model.data.map((p) => String(p[X_FIELD] ?? '').length)),
    width !== undefined ? width - leftWidth - rightWidth - 16 : undefined,
    remPx() * 0.82,
  );
}

/**
 * The recharts chart of one panel of a section: grid, axes (a right one for series of a much
 * smaller magnitude), tooltip and one bar, area or line per series. Category labels are laid out
 * for the width there is (side by side, slanted, or upright and thinned). Not a tab stop: the
 * caller names the chart as an image (recharts' keyboard layer has no visible focus or name).
 */
export function renderChart(
  type: ViewSpec['type'],
  model: ChartModel,
  palette: ChartPalette,
  width?: number,
  /** Series colour by key, so that every panel matches the legend. */
  colors?: ReadonlyMap<string, string>,
  /** False for a panel with another below it: the x labels are drawn once, under the last. */
  xLabels = true,
) {
  const hasRight = model.series.some((s) => s.axis === 'right');
  const labels = new Map(model.series.map((s) => [s.key, s.label]));
  const color = (i: number) =>
    colors?.get(model.series[i]?.key ?? '') ?? palette.series[i % palette.series.length] ?? '#888';
  // Font size comes from the stylesheet, so ticks scale with the type on wall screens.
  const tick = { fill: palette.axis };
  const compact = (v: number) => formatCompact(v);
  const leftWidth = axisWidth(longestTick(model, 'left'));
  const rightWidth = hasRight ? axisWidth(longestTick(model, 'right')) : 0;
  const layout = xLayoutOf(model, width);
  const slanted = layout !== undefined && layout.angle !== 0;
  const xAxis = (
    <XAxis
      key="x"
      dataKey={X_FIELD}
      type={model.xKind === 'instant' ? 'number' : 'category'}
      {...(model.xKind === 'instant'
        ? { scale: 'time' as const, domain: ['dataMin', 'dataMax'] }
        : {})}
      tickFormatter={(v: unknown) => formatX(v, model.xKind, false)}
      tick={xLabels ? tick : false}
      {...(xLabels ? {} : { height: 10 })}
      tickLine={false}
      axisLine={{ stroke: palette.grid }}
      minTickGap={layout ? 0 : 18}
      interval={layout ? layout.interval : 'preserveStartEnd'}
      tickMargin={slanted ? 4 : 8}
      {...(layout && slanted && xLabels
        ? { angle: layout.angle, textAnchor: 'end', height: layout.height }
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
      width={leftWidth}
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
        width={rightWidth}
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
  const left =
    layout && slanted && xLabels && layout.angle > -90
      ? Math.max(4, Math.ceil(layout.height * 0.9) - leftWidth)
      : 4;
  const margin = { top: 8, right: hasRight ? 4 : 12, bottom: 0, left };
  const chartProps = { data: model.data, margin, accessibilityLayer: false, tabIndex: -1 };

  if (type === 'bar') {
    return (
      <BarChart {...chartProps} barCategoryGap="22%" barGap={2}>
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
      <AreaChart {...chartProps}>
        {common}
        {model.series.map((s, i) => (
          <Area key={s.key} {...curveProps(s, color(i))} fill={color(i)} fillOpacity={0.14} />
        ))}
      </AreaChart>
    );
  }
  return (
    <LineChart {...chartProps}>
      {common}
      {model.series.map((s, i) => (
        <Line
          key={s.key}
          {...curveProps(s, color(i))}
          {...(s.axis === 'right' ? { strokeDasharray: '5 4' } : {})}
        />
      ))}
    </LineChart>
  );
}
