/**
 * The values a `stat` section had over time, so that KPI tiles can show the change "since 9:00"
 * or "since I looked": every version of the last RECENT_MS (at most RECENT_LIMIT of them), and
 * before that the last version of each minute, for HISTORY_MS. Bounded whatever the update rate.
 * Pure: no React, no DOM.
 */
import type { Row } from '../../common/protocol.js';

export interface KpiSample {
  /** Client epoch ms when the console received the version. */
  at: number;
  row: Row;
}

export interface KpiHistory {
  /** Every version of the last RECENT_MS, oldest first. */
  recent: KpiSample[];
  /** Older ones: the last version of each minute, oldest first. */
  minutes: KpiSample[];
}

export const RECENT_MS = 10 * 60_000;
export const RECENT_LIMIT = 600;
export const HISTORY_MS = 24 * 60 * 60_000;
const MINUTE = 60_000;
/** One sample per minute of HISTORY_MS, and one for the minute before it (the baseline of its start). */
const MINUTES_LIMIT = HISTORY_MS / MINUTE + 1;

export const emptyKpiHistory: KpiHistory = { recent: [], minutes: [] };

function intoMinutes(minutes: KpiSample[], sample: KpiSample): void {
  const last = minutes.at(-1);
  if (last && Math.floor(last.at / MINUTE) === Math.floor(sample.at / MINUTE)) {
    minutes[minutes.length - 1] = sample;
  } else minutes.push(sample);
}

/** The history with the version received at `at` added (samples must arrive in time order). */
export function appendKpi(history: KpiHistory, at: number, row: Row): KpiHistory {
  const recent = [...history.recent, { at, row }];
  const minutes = [...history.minutes];
  let drop = 0;
  while (
    drop < recent.length - 1 &&
    ((recent[drop]?.at ?? at) < at - RECENT_MS || recent.length - drop > RECENT_LIMIT)
  ) {
    const old = recent[drop];
    if (old) intoMinutes(minutes, old);
    drop += 1;
  }
  const cut = minutes.findIndex((s) => s.at >= at - HISTORY_MS);
  // Keep the last sample before the window too: it is the value at the window's start.
  const from = cut === -1 ? Math.max(0, minutes.length - 1) : Math.max(0, cut - 1);
  return {
    recent: recent.slice(drop),
    minutes: minutes.slice(Math.max(from, minutes.length - MINUTES_LIMIT)),
  };
}

export interface KpiBaseline {
  /** When the baseline version was received. */
  at: number;
  row: Row;
  /**
   * True when the history starts after the moment asked for: the baseline is the first value
   * the console saw, not the value at that moment.
   */
  firstSeen: boolean;
}

function lastAtOrBefore(samples: readonly KpiSample[], t: number): KpiSample | undefined {
  for (let i = samples.length - 1; i >= 0; i -= 1) {
    const sample = samples[i];
    if (sample && sample.at <= t) return sample;
  }
  return undefined;
}

/**
 * The value on screen at moment `t`: the last version received at or before it (to the minute
 * beyond RECENT_MS ago), or the first one seen when the history starts later (`firstSeen`).
 */
export function kpiAt(history: KpiHistory, t: number): KpiBaseline | undefined {
  const found = lastAtOrBefore(history.recent, t) ?? lastAtOrBefore(history.minutes, t);
  if (found) return { at: found.at, row: found.row, firstSeen: false };
  const first = history.minutes[0] ?? history.recent[0];
  return first ? { at: first.at, row: first.row, firstSeen: true } : undefined;
}

/**
 * The epoch ms of a wall-clock time "HH:MM" (local time): today's, or yesterday's when today's
 * is still ahead. Undefined for text that is not a time.
 */
export function momentOfClock(text: string, now: number): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  const day = new Date(now);
  day.setHours(hours, minutes, 0, 0);
  if (day.getTime() > now) day.setDate(day.getDate() - 1);
  return day.getTime();
}
