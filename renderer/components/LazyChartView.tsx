import { useEffect, useMemo, useState } from 'react';
import { useElementWidth } from '../hooks/useElementWidth.js';
import type { ChartViewProps } from './ChartView.js';
import { axisNote, panelSize } from './chartMeasures.js';
import { chartModel, CHART_WINDOWS, offersWindow, panelModels } from './chartModel.js';
import './LazyChartView.css';

type ChartModule = typeof import('./ChartView.js');

/**
 * The chart code (ChartView, recharts) is a chunk of its own, so the header, tiles and tables are
 * drawn without waiting for it. index.html preloads it (vite.config.ts) and its import starts
 * when this module is evaluated, not when the first chart is drawn: by the time the first data
 * arrives it is usually there already, and the chart is drawn at once, with no placeholder.
 */
let loaded: ChartModule | undefined;
let failed = false;
const loading: Promise<ChartModule> = import('./ChartView.js').then(
  (module) => (loaded = module),
  (error: unknown) => {
    failed = true;
    throw error;
  },
);
// A failure is shown in each chart's place (ChartPending); nothing else waits for this promise.
loading.catch(() => undefined);

/** The chart module once it has loaded (for tests: resolves when ChartView can be drawn). */
export function chartCode(): Promise<ChartModule> {
  return loading;
}

/**
 * ChartView, drawn as soon as its code is there; until then a placeholder of the chart's own size
 * (legend, window picker, panels), so nothing moves when the chart replaces it. It sits in the
 * card's body: the card's header with its state, stale and error badges stays as it is.
 */
export function LazyChartView(props: ChartViewProps) {
  const [module, setModule] = useState<ChartModule | undefined>(loaded);
  const [loadFailed, setLoadFailed] = useState(failed);
  useEffect(() => {
    if (module) return;
    const effect = { cancelled: false };
    loading.then(
      (m) => !effect.cancelled && setModule(m),
      () => !effect.cancelled && setLoadFailed(true),
    );
    return () => {
      effect.cancelled = true;
    };
  }, [module]);
  if (module) return <module.ChartView {...props} />;
  return <ChartPending {...props} failed={loadFailed} />;
}

/**
 * The chart's frame without the chart: the same legend (names, greyed swatches), window picker
 * (disabled) and panels, of the same heights, as ChartView draws from the same chart model (a
 * lower panel's x labels measured at the same width), so nothing moves when the chart comes.
 */
function ChartPending({ view, update, height, failed }: ChartViewProps & { failed: boolean }) {
  const { ref, width } = useElementWidth();
  const model = useMemo(() => chartModel(view, update), [view, update]);
  const panels = useMemo(() => panelModels(model), [model]);
  if (model.data.length === 0) return <p className="empty-note">No rows.</p>;
  const hasRight = model.series.some((s) => s.axis === 'right');
  return (
    <figure
      className="chart chart--pending"
      data-chart-pending={failed ? 'failed' : 'loading'}
      aria-busy={!failed}
    >
      <div className="chart-top">
        <ul className="chart-legend" aria-label="Series">
          {model.series.map((s) => (
            <li key={s.key}>
              <span className="swatch swatch--solid" aria-hidden="true" />
              {s.label}
              {(hasRight || panels.length > 1) && (
                <span className="chart-legend-axis">{axisNote(s)}</span>
              )}
            </li>
          ))}
        </ul>
        {offersWindow(view.type, model) && (
          <div className="chart-window" role="group" aria-label="Time window">
            {CHART_WINDOWS.map((w) => (
              <button
                key={w.id}
                type="button"
                className="chart-window-option"
                aria-pressed={w.id === 'all'}
                disabled
              >
                {w.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <div className="chart-panels" ref={ref}>
        {panels.map((_, i) => {
          const { style } = panelSize(panels, i, width, height);
          return (
            <div
              key={i}
              className={`chart-canvas chart-canvas--pending${i > 0 ? ' chart-canvas--extra' : ''}`}
              style={style}
            >
              {failed && i === 0 && (
                <p className="chart-pending-note" role="alert">
                  The chart code could not be loaded. Reload the page to draw this chart.
                </p>
              )}
            </div>
          );
        })}
      </div>
    </figure>
  );
}
