import type { TooltipContentProps } from 'recharts';
import { formatFigure } from '../format/format.js';
import { formatX, type XKind } from './chartModel.js';

/** The chart tooltip: the full x value, then each series with its full figure. */
export function ChartTooltip({
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
