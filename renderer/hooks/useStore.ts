import { useSyncExternalStore } from 'react';
import type { Store } from '../live/Store.js';

/** The current value of a store; the component re-renders when it changes. */
export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
