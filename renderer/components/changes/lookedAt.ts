import { useSyncExternalStore } from 'react';
import { Store } from '../../live/Store.js';

/**
 * "Since I looked": the last moment the user looked at the console, for KPI deltas. It starts
 * when the page opens, moves to the moment the page was last visible when it is hidden (another
 * tab, a locked screen), and to now when the user presses "Mark as seen". One for the page.
 */
export const lookedAt = new Store<number>(Date.now());

/** The user says they have seen the figures as they are now. */
export function markSeen(now = Date.now()): void {
  lookedAt.set(now);
}

let watching = false;

/** Follows the page's visibility (once, whoever calls it first). */
export function watchVisibility(doc: Document = document): void {
  if (watching) return;
  watching = true;
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') markSeen();
  });
}

export function useLookedAt(): number {
  return useSyncExternalStore(lookedAt.subscribe, lookedAt.get);
}
