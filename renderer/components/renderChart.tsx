import type { ReactNode } from 'react';
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
import { formatTick } from '../format/formatTick.js';
import type { ChartPalette } from '../hooks/useChartPalette.js';
import { ChartTooltip } from './ChartTooltip.js';
import { axisWidth, xLayoutOf } from './chartMeasures.js';
import { formatX, longestTick, X_FIELD, type ChartModel, type XKind } from './chartModel.js';
import type { XLabelLayout } from './xAxisLabels.js';

/**
 * Everything that shapes a chart panel except its data values: which series on which axis, the
 * axes' widths and the x label layout. Plain data (it round-trips through JSON), so that equal
 * frames can be recognised and the chart's parts kept: recharts re-derives its layout whenever
 * an axis, a series or the tooltip gets new props, and a live update should only bring new data.
 */
export interface ChartFrame {
  type: ViewSpec['type'];
  xKind: XKind;
  series: ChartModel['series'];
  leftWidth: number;
  /** 0 without a right axis. */
  rightWidth: number;
  /** Category axes only. */
  layout?: XLabelLayout | undefined;
  /** False for a panel with another below it: the x labels are drawn once, under the last. */
  xLabels: boolean;
}

const ACTIVE_DOT = { r: 4 };
const BAR_RADIUS: [number, number, number, number] = [3, 3, 0, 0];
/** Every digit a tick has (0.25, not 0.3): ticks are nice numbers (format/formatTick). */
const tickLabel = (v: number) => formatTick(v);

/** The frame of one panel of `model` at `width`. */
export function chartFrame(
  type: ViewSpec['type'],
  model: ChartModel,
  width: number | undefined,
  xLabels: boolean,
): ChartFrame {
  const hasRight = model.series.some((s) => s.axis === 'right');
  return {
    type,
    xKind: model.xKind,
    series: model.series,
    leftWidth: axisWidth(longestTick(model, 'left')),
    rightWidth: hasRight ? axisWidth(longestTick(model, 'right')) : 0,
    layout: xLayoutOf(model, width),
    xLabels,
  };
}

/** The chart's margin: a slanted first label reaches left of the plot, leave it room. */
export function chartMargin(frame: ChartFrame) {
  const { layout, xLabels, leftWidth } = frame;
  const slanted = layout !== undefined && layout.angle !== 0;
  const left =
    layout && slanted && xLabels && layout.angle > -90
      ? Math.max(4, Math.ceil(layout.height * 0.9) - leftWidth)
      : 4;
  return { top: 8, right: frame.rightWidth > 0 ? 4 : 12, bottom: 0, left };
}

/**
 * Grid, axes (a right one for series of a much smaller magnitude), tooltip and one bar, area or
 * line per series: everything inside the chart but its data. Category labels are laid out for
 * the width there is (side by side, slanted, or upright and thinned).
 */
export function chartParts(
  frame: ChartFrame,
  palette: ChartPalette,
  /** Series colour by key, so that every panel matches the legend. */
  colors?: ReadonlyMap<string, string>,
): ReactNode[] {
  const { type, xKind, series, layout, xLabels } = frame;
  const hasRight = frame.rightWidth > 0;
  const labels = new Map(series.map((s) => [s.key, s.label]));
  const color = (i: number) =>
    colors?.get(series[i]?.key ?? '') ?? palette.series[i % palette.series.length] ?? '#888';
  // Font size comes from the stylesheet, so ticks scale with the type on wall screens.
  const tick = { fill: palette.axis };
  const slanted = layout !== undefined && layout.angle !== 0;
  const parts: ReactNode[] = [
    <CartesianGrid key="grid" stroke={palette.grid} strokeDasharray="3 3" vertical={false} />,
    <XAxis
      key="x"
      dataKey={X_FIELD}
      type={xKind === 'instant' ? 'number' : 'category'}
      {...(xKind === 'instant' ? { scale: 'time' as const, domain: ['dataMin', 'dataMax'] } : {})}
      tickFormatter={(v: unknown) => formatX(v, xKind, false)}
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
    />,
    <YAxis
      key="left"
      yAxisId="left"
      tickFormatter={tickLabel}
      niceTicks="snap125"
      tick={tick}
      tickLine={false}
      axisLine={false}
      width={frame.leftWidth}
    />,
    hasRight ? (
      <YAxis
        key="right"
        yAxisId="right"
        orientation="right"
        tickFormatter={tickLabel}
        niceTicks="snap125"
        tick={tick}
        tickLine={false}
        axisLine={false}
        width={frame.rightWidth}
      />
    ) : null,
    <Tooltip
      key="tooltip"
      isAnimationActive={false}
      cursor={
        type === 'bar' ? { fill: palette.cursor } : { stroke: palette.axis, strokeDasharray: '3 3' }
      }
      content={(props: TooltipContentProps) => (
        <ChartTooltip {...props} xKind={xKind} labels={labels} />
      )}
    />,
  ];
  // Smooth 2 px curves without dots for lines and areas; no animation: live updates redraw in place.
  const curve = (s: ChartModel['series'][number], stroke: string) =>
    ({
      type: 'monotone',
      dataKey: s.key,
      name: s.label,
      yAxisId: s.axis,
      stroke,
      strokeWidth: 2,
      dot: false,
      activeDot: ACTIVE_DOT,
      isAnimationActive: false,
    }) as const;
  series.forEach((s, i) => {
    if (type === 'bar') {
      parts.push(
        <Bar
          key={s.key}
          dataKey={s.key}
          name={s.label}
          yAxisId={s.axis}
          fill={color(i)}
          radius={BAR_RADIUS}
          maxBarSize={28}
          isAnimationActive={false}
        />,
      );
    } else if (type === 'area') {
      parts.push(<Area key={s.key} {...curve(s, color(i))} fill={color(i)} fillOpacity={0.14} />);
    } else {
      parts.push(
        <Line
          key={s.key}
          {...curve(s, color(i))}
          {...(s.axis === 'right' ? { strokeDasharray: '5 4' } : {})}
        />,
      );
    }
  });
  return parts;
}

/**
 * The recharts chart of one panel around its parts. Not a tab stop: the caller names the chart
 * as an image (recharts' keyboard layer has no visible focus or name).
 */
export function chartRoot(
  type: ViewSpec['type'],
  data: ChartModel['data'],
  margin: ReturnType<typeof chartMargin>,
  parts: ReactNode[],
) {
  const props = { data, margin, accessibilityLayer: false, tabIndex: -1 };
  if (type === 'bar') {
    return (
      <BarChart {...props} barCategoryGap="22%" barGap={2}>
        {parts}
      </BarChart>
    );
  }
  if (type === 'area') return <AreaChart {...props}>{parts}</AreaChart>;
  return <LineChart {...props}>{parts}</LineChart>;
}
