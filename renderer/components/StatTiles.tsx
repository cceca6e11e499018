import { useState } from 'react';
import type { CellValue, SectionUpdate, ViewSpec } from '../../common/protocol.js';
import { formatCell, formatFigure, humanize } from '../format/format.js';
import { useNow } from '../hooks/useNow.js';
import type { KpiHistory } from '../live/kpiHistory.js';
import { SinceControl } from './changes/SinceControl.js';
import { kpiComparison, type SinceChoice } from './changes/kpiSince.js';
import { useLookedAt } from './changes/lookedAt.js';
import { resultColumns } from '../../common/viewColumns.js';

export interface StatTilesProps {
  view: ViewSpec;
  update: SectionUpdate;
  previous?: SectionUpdate | undefined;
  /** The section's values over time: deltas "since I looked" or "since 9:00" need it. */
  history?: KpiHistory | undefined;
  locale?: string;
}

/**
 * The columns shown as tiles: those of view.y the result has (the card's notice names the others,
 * see viewColumns), else every numeric column.
 */
export function tileColumns(view: ViewSpec, update: SectionUpdate): string[] {
  if (view.y && view.y.length > 0) {
    const have = new Set(resultColumns(update));
    return view.y.filter((name) => have.has(name));
  }
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
 * (▲ / ▼ with the delta; neutral when unchanged) since the moment the user picks: the previous
 * update (default), when they last looked, or a time of day.
 */
export function StatTiles({ view, update, previous, history, locale }: StatTilesProps) {
  const [since, setSince] = useState<SinceChoice>({ kind: 'previous' });
  const lookedAt = useLookedAt();
  const now = useNow(10_000);
  const comparison = kpiComparison(since, { previous, history, lookedAt, now, locale });
  const row = update.rows[0];
  const before = comparison.row;
  const columns = tileColumns(view, update);

  return (
    <div className="stat-wrap">
      <SinceControl choice={since} onChange={setSince} />
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
                title={`Change ${comparison.caption}`}
                data-testid={`stat-delta-${name}`}
              >
                {delta === undefined ? (
                  <span className="stat-delta-none" title="No earlier value to compare with">
                    —
                  </span>
                ) : moved ? (
                  <>
                    <span aria-hidden="true">{delta > 0 ? '▲' : '▼'}</span>{' '}
                    <span className="sr-only">{delta > 0 ? 'up' : 'down'}</span>
                    {formatFigure(name, Math.abs(delta), locale)}
                    <span className="stat-delta-caption"> {comparison.caption}</span>
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
    </div>
  );
}
