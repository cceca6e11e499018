import type { CellValue, SectionUpdate, ViewSpec } from '../../common/protocol.js';
import { formatCell, formatFigure, humanize } from '../format/format.js';

export interface StatTilesProps {
  view: ViewSpec;
  update: SectionUpdate;
  previous?: SectionUpdate | undefined;
  locale?: string;
}

/** The columns shown as tiles: view.y, else every numeric column. */
export function tileColumns(view: ViewSpec, update: SectionUpdate): string[] {
  if (view.y && view.y.length > 0) return view.y;
  return update.columns.filter((c) => c.type === 'number').map((c) => c.name);
}

function asNumber(value: CellValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/**
 * KPI tiles for a `stat` section: one per column, the value from the single row, and the change
 * since the previous update (▲ / ▼ with the delta; neutral when unchanged).
 */
export function StatTiles({ view, update, previous, locale }: StatTilesProps) {
  const row = update.rows[0];
  const before = previous?.rows[0];
  const columns = tileColumns(view, update);

  return (
    <ul className="stat-tiles" aria-label="Key figures">
      {columns.map((name) => {
        const raw = row?.[name];
        const value = asNumber(raw);
        const prior = before ? asNumber(before[name]) : undefined;
        const delta = value !== undefined && prior !== undefined ? value - prior : undefined;
        // Cents-level noise from float sums must not read as a change.
        const moved = delta !== undefined && Math.abs(delta) > 1e-9;
        const direction = !moved ? 'flat' : delta > 0 ? 'up' : 'down';
        const label = humanize(name);
        const text =
          value !== undefined
            ? formatFigure(name, value, locale)
            : formatCell(raw, name, 'string', locale);
        return (
          <li className="stat-tile" key={name} data-column={name}>
            <span className="stat-label">{label}</span>
            <span className="stat-value" data-testid={`stat-${name}`}>
              {text}
            </span>
            <span
              className={`stat-delta stat-delta--${direction}`}
              title="Change since the previous update"
            >
              {delta === undefined ? (
                <span className="stat-delta-none" title="No earlier update to compare with">
                  —
                </span>
              ) : moved ? (
                <>
                  <span aria-hidden="true">{delta > 0 ? '▲' : '▼'}</span>{' '}
                  <span className="sr-only">{delta > 0 ? 'up' : 'down'}</span>
                  {formatFigure(name, Math.abs(delta), locale)}
                  <span className="stat-delta-caption"> since last update</span>
                </>
              ) : (
                <>
                  <span aria-hidden="true">●</span> unchanged
                </>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
