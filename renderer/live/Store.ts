import { onNextFrame } from './nextFrame.js';

/**
 * A minimal observable value for React's useSyncExternalStore: `get()` returns an immutable
 * snapshot, `set()` replaces it and notifies subscribers. `updateInFrame()` replaces it at once
 * but notifies at the next animation frame, once however many changes came in meanwhile: a burst
 * of live updates costs one render per frame, not one per message.
 *
 * React reads `snapshot()`, not `get()`: the value as of the last notification. A render that
 * something else starts between two frames (an alert, a connection change, a resize) then draws
 * what the last frame drew, not the live updates already held for the next one; so each section
 * changes on screen at most once per frame, in the frame's one commit. `get()` is the latest
 * value, for code that acts on it (a resubscribe's `have`, a pause, a focus).
 */
export class Store<T> {
  private listeners = new Set<() => void>();
  private pending = false;
  private published: T;

  constructor(private value: T) {
    this.published = value;
  }

  /** The latest value, including changes whose subscribers are told at the next frame. */
  get = (): T => this.value;

  /** The value subscribers were last told of: what React renders (see the class comment). */
  snapshot = (): T => this.published;

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
    this.published = this.value;
    for (const listener of [...this.listeners]) listener();
  }
}
