/**
 * The alert strip's and history's words, in one place, as plain English: "Key figures · firing
 * for 22 s", "snoozed until 3:45 PM", "Resolved — was “57 orders are waiting”".
 */
import type { AlertEvent } from '../../../common/alerts.js';
import type { AlertHistoryEntry } from '../../live/alertsReducer.js';
import { firingKey, type AlertPrefsState } from '../../live/AlertPrefs.js';
import { formatDuration } from '../../format/format.js';

/** How long it has fired: "just started firing", "firing for 22 s", "firing for 1 h 5 min". */
export function firingFor(ms: number): string {
  return ms < 2000 ? 'just started firing' : `firing for ${formatDuration(ms)}`;
}

/** A clock time in the reader's locale without seconds ("3:45 PM", "15:45"). */
export function clockTime(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(ms);
}

/** Why a firing alert is quiet, if it is: "acknowledged" or "snoozed until 3:45 PM". */
export function quietWords(
  prefs: AlertPrefsState,
  event: AlertEvent,
  now: number,
  locale?: string,
): string | undefined {
  if (prefs.acked[firingKey(event)] !== undefined) return 'acknowledged';
  const until = prefs.snoozed[event.id];
  if (until !== undefined && until > now) return `snoozed until ${clockTime(until, locale)}`;
  return undefined;
}

/** One history line's outcome and message. */
export function historyWords(entry: AlertHistoryEntry): string {
  const { message } = entry.event;
  if (entry.outcome === 'lost') return `No longer reported after a reconnect — was “${message}”`;
  return entry.event.state === 'firing' ? `Fired: ${message}` : `Resolved — was “${message}”`;
}
