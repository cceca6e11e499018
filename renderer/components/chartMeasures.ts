import { longestTick, X_FIELD, type ChartModel } from './chartModel.js';
import { xLabelLayout, type XLabelLayout } from './xAxisLabels.js';

/**
 * The measures of a chart's frame that do not need recharts: ChartView draws with them, and
 * LazyChartView holds the chart's place at the same size before recharts' code has arrived.
 */

/** Plot height of a lower panel, before its x labels (rem). */
const EXTRA_PANEL_REM = 6.5;

let rem: { key: string; px: number; tick: number } | undefined;

/**
 * The root font size in px, and the axis labels' size in rem (the stylesheet's --chart-tick-rem:
 * larger in TV mode): chart measures follow them, as the type grows on wall screens. Read once
 * per window size (the stylesheet sets them by size), not on every render: reading a computed
 * style recalculates styles the update has just invalidated.
 */
function rootType(): { px: number; tick: number } {
  if (typeof document === 'undefined') return { px: 14, tick: 0.82 };
  const key = `${window.innerWidth}x${window.innerHeight}`;
  if (rem?.key !== key) {
    const style = getComputedStyle(document.documentElement);
    const px = Number.parseFloat(style.fontSize) || 14;
    const tick = Number.parseFloat(style.getPropertyValue('--chart-tick-rem')) || 0.82;
    rem = { key, px, tick };
  }
  return rem;
}

/** The root font size in px. */
export function remPx(): number {
  return rootType().px;
}

/** The axis labels' font size in px. */
export function tickPx(): number {
  const { px, tick } = rootType();
  return px * tick;
}

/** Width for a y axis whose longest tick label is `chars` characters. */
export function axisWidth(chars: number): number {
  return Math.ceil(tickPx() * 0.62 * chars + remPx() * 0.9);
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
    tickPx(),
  );
}

/**
 * The size of panel `i` of `panels` (a lower panel gets a plot of its own plus room for the x
 * labels it carries): `height` is the first panel's given height (px), lower ones get half of it;
 * without one, a lower panel's CSS height. `own` is the height in px when one was given.
 */
export function panelSize(
  panels: readonly ChartModel[],
  i: number,
  width: number | undefined,
  height: number | undefined,
): { own: number | undefined; style: { height: number | string } | undefined } {
  const panel = panels[i];
  const last = i === panels.length - 1;
  const labels = i > 0 && last && panel ? xLayoutOf(panel, width)?.height : 0;
  const extra = `calc(${EXTRA_PANEL_REM}rem + ${labels ?? 24}px)`;
  const own = i === 0 ? height : height !== undefined ? Math.round(height * 0.5) : undefined;
  const style = own !== undefined ? { height: own } : i > 0 ? { height: extra } : undefined;
  return { own, style };
}

/** Where a series is drawn, as the legend says it. */
export function axisNote(series: ChartModel['series'][number]): string {
  return series.panel > 0 ? 'lower panel' : series.axis === 'right' ? 'right axis' : 'left axis';
}
