import { useSyncExternalStore } from 'react';
import type { Store } from '../live/Store.js';

/**
 * The value of a store as of its last notification (Store.snapshot); the component re-renders
 * when it changes. Live updates held for the next animation frame show in that frame's commit,
 * never in a render something else starts before it.
 */
export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.snapshot, store.snapshot);
}
