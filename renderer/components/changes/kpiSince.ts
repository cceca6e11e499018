/**
 * Which earlier value KPI tiles compare with: the previous update, the moment the user last
 * looked, or a time of day they pick ("since 9:00"); and how the tiles say it. Pure.
 */
import type { Row, SectionUpdate } from '../../../common/protocol.js';
import { kpiAt, momentOfClock, type KpiHistory } from '../../live/kpiHistory.js';

export type SinceChoice =
  { kind: 'previous' } | { kind: 'looked' } | { kind: 'clock'; time: string };

export interface KpiComparison {
  /** The row to compare with; undefined: nothing earlier to compare with. */
  row: Row | undefined;
  /** "since last update", "since I looked (14:02)", "since 09:00", "since 09:12 (first seen)". */
  caption: string;
}

function clock(ms: number, locale: string | undefined): string {
  return new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

export function kpiComparison(
  choice: SinceChoice,
  context: {
    previous: SectionUpdate | undefined;
    history: KpiHistory | undefined;
    lookedAt: number;
    now: number;
    locale?: string | undefined;
  },
): KpiComparison {
  const { history, locale } = context;
  if (choice.kind === 'previous') {
    return { row: context.previous?.rows[0], caption: 'since last update' };
  }
  const moment =
    choice.kind === 'looked' ? context.lookedAt : momentOfClock(choice.time, context.now);
  if (moment === undefined) return { row: undefined, caption: 'pick a time' };
  const name =
    choice.kind === 'looked' ? `I looked (${clock(moment, locale)})` : clock(moment, locale);
  const found = history ? kpiAt(history, moment) : undefined;
  if (!found) return { row: undefined, caption: `since ${name}` };
  if (found.firstSeen) {
    return { row: found.row, caption: `since ${clock(found.at, locale)} (first seen)` };
  }
  return { row: found.row, caption: `since ${name}` };
}
