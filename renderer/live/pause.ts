/**
 * Pausing a card: it goes on receiving (the store keeps every version) but shows the version it
 * had when paused, and how many newer ones arrived since; resuming shows the latest again.
 * Pure: no React, no DOM.
 */
import type { SectionView } from './state.js';

/** What a paused card holds on to: the view it showed, and the count of versions received then. */
export interface PauseMark {
  view: SectionView;
  received: number;
}

export function pauseMark(live: SectionView): PauseMark {
  return { view: live, received: live.received ?? 0 };
}

/** Versions received since the card was paused. */
export function newerVersions(live: SectionView, mark: PauseMark): number {
  return Math.max(0, (live.received ?? 0) - mark.received);
}

/**
 * What a paused card shows: the data it had when paused (rows, their changes, KPI history), with
 * the live catalog entry, health and change log, so that a failure or a disconnection still shows.
 */
export function pausedView(live: SectionView, mark: PauseMark): SectionView {
  const held = mark.view;
  const view: SectionView = {
    ...live,
    changedRowKeys: held.changedRowKeys,
    changes: held.changes,
    kpiHistory: held.kpiHistory,
  };
  delete view.update;
  delete view.previous;
  delete view.receivedAt;
  return {
    ...view,
    ...(held.update ? { update: held.update } : {}),
    ...(held.previous ? { previous: held.previous } : {}),
    ...(held.receivedAt !== undefined ? { receivedAt: held.receivedAt } : {}),
  };
}

/** The card's words while paused: "paused · 3 newer versions". */
export function pausedLabel(newer: number): string {
  if (newer === 0) return 'paused · no newer version';
  return `paused · ${newer} newer ${newer === 1 ? 'version' : 'versions'}`;
}
