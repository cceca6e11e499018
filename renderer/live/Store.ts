import { onNextFrame } from './nextFrame.js';

/**
 * A minimal observable value for React's useSyncExternalStore: `get()` returns an immutable
 * snapshot, `set()` replaces it and notifies subscribers. `updateInFrame()` replaces it at once
 * but notifies at the next animation frame, once however many changes came in meanwhile: a burst
 * of live updates costs one render per frame, not one per message.
 */
export class Store<T> {
  private listeners = new Set<() => void>();
  private pending = false;

  constructor(private value: T) {}

  get = (): T => this.value;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(next: T): void {
    if (Object.is(next, this.value)) return;
    this.value = next;
    this.notify();
  }

  update(fn: (current: T) => T): void {
    this.set(fn(this.value));
  }

  /** Like update(), with the subscribers told at the next animation frame (see onNextFrame). */
  updateInFrame(fn: (current: T) => T): void {
    const next = fn(this.value);
    if (Object.is(next, this.value)) return;
    this.value = next;
    if (this.pending) return;
    this.pending = true;
    onNextFrame(this.notifyPending);
  }

  private notifyPending = (): void => {
    if (this.pending) this.notify();
  };

  private notify(): void {
    this.pending = false;
    for (const listener of [...this.listeners]) listener();
  }
}
