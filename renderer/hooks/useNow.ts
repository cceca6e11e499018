import { useSyncExternalStore } from 'react';
import { onNextFrame } from '../live/nextFrame.js';

/**
 * One clock per period, shared by every component that asks for it: a tick re-renders all of
 * them in one commit, drawn with whatever else changed in that animation frame (a dashboard of
 * twenty cards ticks once a second, not twenty times). The timer runs while someone listens.
 */
class Clock {
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private value = Date.now();

  constructor(private readonly intervalMs: number) {}

  get = (): number => {
    // Idle since the last listener left: do not hand a new one an old time.
    if (!this.timer && Math.abs(Date.now() - this.value) >= this.intervalMs)
      this.value = Date.now();
    return this.value;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.timer) this.timer = setInterval(this.tick, this.intervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  };

  private tick = (): void => {
    this.value = Date.now();
    onNextFrame(this.notify);
  };

  private notify = (): void => {
    for (const listener of [...this.listeners]) listener();
  };
}

const clocks = new Map<number, Clock>();

/** The current time, refreshed every `intervalMs` (for "updated 12 s ago" and countdowns). */
export function useNow(intervalMs = 1000): number {
  let clock = clocks.get(intervalMs);
  if (!clock) clocks.set(intervalMs, (clock = new Clock(intervalMs)));
  return useSyncExternalStore(clock.subscribe, clock.get, clock.get);
}
