/** The web console's wake-up signals: online/offline at once, visible again after > 5 s hidden. */
import { describe, expect, it } from 'vitest';
import { WAKE_AFTER_HIDDEN_MS, attachWakeSignals } from './wakeSignals.js';

class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  turn(state: DocumentVisibilityState): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

function setup() {
  const win = new EventTarget();
  const doc = new FakeDocument();
  let now = 1_000_000;
  let wakes = 0;
  const detach = attachWakeSignals({ wake: () => wakes++ }, win, doc, () => now);
  return {
    win,
    doc,
    detach,
    wakes: () => wakes,
    advance: (ms: number) => (now += ms),
  };
}

describe('attachWakeSignals', () => {
  it('wakes on online and offline', () => {
    const t = setup();
    t.win.dispatchEvent(new Event('online'));
    t.win.dispatchEvent(new Event('offline'));
    expect(t.wakes()).toBe(2);
  });

  it('wakes when the tab is visible again after being hidden a while, not after a tab switch', () => {
    const t = setup();
    t.doc.turn('hidden');
    t.advance(WAKE_AFTER_HIDDEN_MS - 1);
    t.doc.turn('visible');
    expect(t.wakes()).toBe(0);
    t.doc.turn('hidden');
    t.advance(WAKE_AFTER_HIDDEN_MS);
    t.doc.turn('visible');
    expect(t.wakes()).toBe(1);
    t.doc.turn('visible'); // a repeated event without being hidden
    expect(t.wakes()).toBe(1);
  });

  it('stops listening when detached', () => {
    const t = setup();
    t.detach();
    t.win.dispatchEvent(new Event('online'));
    t.doc.turn('hidden');
    t.advance(WAKE_AFTER_HIDDEN_MS * 2);
    t.doc.turn('visible');
    expect(t.wakes()).toBe(0);
  });
});
