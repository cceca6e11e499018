import type { AlertEvent } from '../../common/alerts.js';
import { Store } from './Store.js';

const PREFS_KEY = 'opsdeck.alertPrefs.v1';
/** Acknowledgements kept (oldest dropped first): plenty for the firings a screen sees. */
const MAX_ACKS = 200;

export interface AlertPrefsState {
  /** `id@since` of acknowledged firings -> epoch ms of the acknowledgement. */
  acked: Record<string, number>;
  /** Rule id -> epoch ms until which it is snoozed. */
  snoozed: Record<string, number>;
  /** Beep when a new alert fires (off by default). */
  sound: boolean;
}

const empty: AlertPrefsState = { acked: {}, snoozed: {}, sound: false };

const storesByStorage = new WeakMap<Storage, Store<AlertPrefsState>>();

/** One firing's identity: the rule and when it started firing. */
export function firingKey(event: AlertEvent): string {
  return `${event.id}@${event.since}`;
}

/** Acknowledged or snoozed: shown, but quiet (no title count, no sound, no live announcement). */
export function isQuiet(prefs: AlertPrefsState, event: AlertEvent, now: number): boolean {
  return prefs.acked[firingKey(event)] !== undefined || (prefs.snoozed[event.id] ?? 0) > now;
}

/**
 * The user's acknowledgements, snoozes and sound choice, kept locally in this browser or app
 * (localStorage), per user as the issue asks. A corrupt stored value is ignored and overwritten.
 */
export class AlertPrefs {
  readonly store: Store<AlertPrefsState>;

  /**
   * Every AlertPrefs over the same Storage shares one store, so the console's and the desktop
   * bridge's agree at once on what is acknowledged; a new one re-reads the stored choices (as a
   * reload would). Without a Storage, each has its own.
   */
  constructor(
    private readonly storage: Storage | undefined,
    private readonly now: () => number = Date.now,
  ) {
    const shared = storage ? storesByStorage.get(storage) : undefined;
    if (shared) shared.set(read(storage));
    this.store = shared ?? new Store<AlertPrefsState>(read(storage));
    if (storage && !shared) storesByStorage.set(storage, this.store);
  }

  acknowledge(event: AlertEvent): void {
    const entries = Object.entries({ ...this.store.get().acked, [firingKey(event)]: this.now() });
    const acked = Object.fromEntries(entries.sort((a, b) => a[1] - b[1]).slice(-MAX_ACKS));
    this.write({ ...this.store.get(), acked });
  }

  snooze(event: AlertEvent, ms: number): void {
    const now = this.now();
    const snoozed = Object.fromEntries(
      Object.entries(this.store.get().snoozed).filter(([, until]) => until > now),
    );
    this.write({ ...this.store.get(), snoozed: { ...snoozed, [event.id]: now + ms } });
  }

  setSound(sound: boolean): void {
    this.write({ ...this.store.get(), sound });
  }

  private write(next: AlertPrefsState): void {
    this.store.set(next);
    try {
      this.storage?.setItem(PREFS_KEY, JSON.stringify(next));
    } catch {
      // Storage full or disabled: the choice holds for this page.
    }
  }
}

function read(storage: Storage | undefined): AlertPrefsState {
  try {
    const raw = storage?.getItem(PREFS_KEY);
    if (!raw) return empty;
    const parsed = JSON.parse(raw) as Partial<AlertPrefsState>;
    return {
      acked: numbers(parsed.acked),
      snoozed: numbers(parsed.snoozed),
      sound: parsed.sound === true,
    };
  } catch {
    return empty;
  }
}

function numbers(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
}
