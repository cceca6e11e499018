import { memo, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';
import type { SectionUpdate, ViewSpec } from '../../common/protocol.js';
import { humanize } from '../format/format.js';
import { useChartPalette, type ChartPalette } from '../hooks/useChartPalette.js';
import { useContentBox } from '../hooks/useContentBox.js';
import { useElementWidth } from '../hooks/useElementWidth.js';
import {
  chartModel,
  CHART_WINDOWS,
  formatX,
  offersWindow,
  panelModels,
  windowModel,
  X_FIELD,
  type ChartModel,
  type ChartWindow,
} from './chartModel.js';
import { axisNote, panelSize } from './chartMeasures.js';
import { chartFrame, chartMargin, chartParts, chartRoot, type ChartFrame } from './renderChart.js';

// The model and the palette hook, for callers that import them from here.
export { chartModel, type ChartModel } from './chartModel.js';
export { useChartPalette, type ChartPalette } from '../hooks/useChartPalette.js';

export interface ChartViewProps {
  view: ViewSpec;
  update: SectionUpdate;
  /** Pixel height; by default the stylesheet's (it grows with the type on wall screens). */
  height?: number;
}

const KIND_WORDS: Record<string, string> = { line: 'Line', area: 'Area', bar: 'Bar' };

/** What a chart panel shows, for people who cannot see it: its name as an image. */
export function describeChart(
  type: ViewSpec['type'],
  model: ChartModel,
  index = 0,
  panels = 1,
): string {
  const hasRight = model.series.some((s) => s.axis === 'right');
  const series = model.series
    .map((s) => (hasRight ? `${s.label} (${s.axis} axis)` : s.label))
    .join(', ');
  const first = model.data[0]?.[X_FIELD];
  const last = model.data.at(-1)?.[X_FIELD];
  const span =
    model.xKind === 'category'
      ? `${model.data.length} ${model.data.length === 1 ? 'value' : 'values'}`
      : `${formatX(first, model.xKind, false)} to ${formatX(last, model.xKind, false)}`;
  const panel = panels > 1 ? `, panel ${index + 1} of ${panels}` : '';
  return `${KIND_WORDS[type] ?? 'Chart'} chart of ${series} by ${humanize(model.xKey)}, ${span}${panel}`;
}

/**
 * One panel's recharts chart. A live update changes only the data the chart is given: the axes,
 * series and tooltip are the same elements as long as the panel's frame (series, axis widths,
 * label layout), palette and colours stay, so recharts recomputes the plot and nothing else.
 */
const ChartPanel = memo(function ChartPanel({
  type,
  model,
  palette,
  width,
  colors,
  xLabels,
  initialHeight,
  initialWidth,
}: {
  type: ViewSpec['type'];
  model: ChartModel;
  palette: ChartPalette;
  width: number | undefined;
  colors: ReadonlyMap<string, string>;
  xLabels: boolean;
  initialHeight: number;
  initialWidth: number;
}) {
  const frameJson = JSON.stringify(chartFrame(type, model, width, xLabels));
  const frame = useMemo(() => JSON.parse(frameJson) as ChartFrame, [frameJson]);
  const parts = useMemo(() => chartParts(frame, palette, colors), [frame, palette, colors]);
  const margin = useMemo(() => chartMargin(frame), [frame]);
  const initialDimension = useMemo(
    () => ({ width: initialWidth, height: initialHeight }),
    [initialWidth, initialHeight],
  );
  return (
    <ResponsiveContainer
      width="100%"
      height="100%"
      minWidth={0}
      initialDimension={initialDimension}
    >
      {chartRoot(type, model.data, margin, parts)}
    </ResponsiveContainer>
  );
});

/**
 * A panel's frame, a named image. The chart inside is first drawn once the frame's size is known
 * (read before the first paint): at its real size, not at a guess redrawn a frame later.
 */
function ChartCanvas({
  className,
  style,
  label,
  fallbackHeight,
  children,
}: {
  className: string;
  style: CSSProperties | undefined;
  label: string;
  fallbackHeight: number;
  children: (box: { width: number; height: number }) => ReactNode;
}) {
  const { ref, box } = useContentBox();
  return (
    <div ref={ref} className={className} style={style} role="img" aria-label={label}>
      {box !== undefined && children(box ?? { width: 600, height: fallbackHeight })}
    </div>
  );
}

/** The time window of a line or area chart: the last 7 or 30 days of its data, or all of it. */
function WindowPicker({
  value,
  onChange,
}: {
  value: ChartWindow;
  onChange: (window: ChartWindow) => void;
}) {
  return (
    <div className="chart-window" role="group" aria-label="Time window">
      {CHART_WINDOWS.map((w) => (
        <button
          key={w.id}
          type="button"
          className="chart-window-option"
          aria-pressed={value === w.id}
          data-window={w.id}
          onClick={() => onChange(w.id)}
        >
          {w.label}
        </button>
      ))}
    </div>
  );
}

/**
 * `line`, `area` and `bar` sections as recharts charts: x from view.x, one series per view.y
 * column, formatted axes (short local dates, compact numbers), a tooltip with full values, a
 * legend, and never a series drawn flat along the floor: a right-hand axis for a series of a much
 * smaller magnitude (or the ones view.y2 names), and a panel below for a third magnitude. Each
 * panel is a named image. No animation: live updates redraw in place instead of replaying.
 */
export function ChartView({ view, update, height }: ChartViewProps) {
  const palette = useChartPalette();
  const { ref, width } = useElementWidth();
  const [timeWindow, setTimeWindow] = useState<ChartWindow>('all');
  const full = useMemo(() => chartModel(view, update), [view, update]);
  const windowed = offersWindow(view.type, full);
  const model = useMemo(
    () => (windowed ? windowModel(full, timeWindow) : full),
    [full, windowed, timeWindow],
  );
  const panels = useMemo(() => panelModels(model), [model]);
  // Colours follow the series, not the values: the same map while the series stay.
  const seriesKeys = JSON.stringify(model.series.map((s) => s.key));
  const colors = useMemo(
    () =>
      new Map(
        (JSON.parse(seriesKeys) as string[]).map((key, i) => [
          key,
          palette.series[i % palette.series.length] ?? '#888',
        ]),
      ),
    [seriesKeys, palette],
  );
  const hasRight = model.series.some((s) => s.axis === 'right');

  if (full.data.length === 0) return <p className="empty-note">No rows.</p>;

  return (
    <figure className="chart" data-points={model.data.length}>
      <div className="chart-top">
        <ul className="chart-legend" aria-label="Series">
          {model.series.map((s) => (
            <li key={s.key}>
              <span
                className={`swatch swatch--${view.type === 'line' && s.axis === 'right' ? 'dashed' : 'solid'}`}
                style={{ color: colors.get(s.key) }}
                aria-hidden="true"
              />
              {s.label}
              {(hasRight || panels.length > 1) && (
                <span className="chart-legend-axis">{axisNote(s)}</span>
              )}
            </li>
          ))}
        </ul>
        {windowed && <WindowPicker value={timeWindow} onChange={setTimeWindow} />}
      </div>
      <div className="chart-panels" ref={ref}>
        {panels.map((panel, i) => {
          const last = i === panels.length - 1;
          const { own, style } = panelSize(panels, i, width, height);
          return (
            <ChartCanvas
              key={i}
              className={`chart-canvas${i > 0 ? ' chart-canvas--extra' : ''}`}
              style={style}
              label={describeChart(view.type, panel, i, panels.length)}
              fallbackHeight={own ?? (i > 0 ? 160 : 280)}
            >
              {(box) => (
                <ChartPanel
                  type={view.type}
                  model={panel}
                  palette={palette}
                  width={width}
                  colors={colors}
                  xLabels={last}
                  initialWidth={box.width}
                  initialHeight={box.height}
                />
              )}
            </ChartCanvas>
          );
        })}
      </div>
    </figure>
  );
}
