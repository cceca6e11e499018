import { useMemo } from 'react';
import { ResponsiveContainer } from 'recharts';
import type { SectionUpdate, ViewSpec } from '../../common/protocol.js';
import { humanize } from '../format/format.js';
import { useChartPalette } from '../hooks/useChartPalette.js';
import { chartModel } from './chartModel.js';
import { renderChart } from './renderChart.js';

// The model and the palette hook, for callers that import them from here.
export { chartModel, type ChartModel } from './chartModel.js';
export { useChartPalette, type ChartPalette } from '../hooks/useChartPalette.js';

export interface ChartViewProps {
  view: ViewSpec;
  update: SectionUpdate;
  /** Pixel height; by default the stylesheet's (it grows with the type on wall screens). */
  height?: number;
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
