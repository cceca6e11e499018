import type { AlertEvent, AlertRuleInfo } from '../../common/alerts.js';

/** How many state changes the history keeps (newest first). */
export const ALERT_HISTORY = 50;

/** One line of the history: an `alert` event as received, or an alert the server stopped sending. */
export interface AlertHistoryEntry {
  event: AlertEvent;
  /** Client epoch ms when it arrived (or when the resync ended it). */
  receivedAt: number;
  /**
   * `lost`: it was firing before a reconnect and the server did not send it again, so whether and
   * when it resolved is unknown. It is no longer shown as firing.
   */
  outcome?: 'lost';
}

export interface FiringAlert {
  event: AlertEvent;
  receivedAt: number;
  /** Held from before a reconnect and not yet confirmed by the server (see beginAlertResync). */
  unconfirmed?: true;
}

export interface AlertsState {
  /** The catalog's rules (empty when the server has none). */
  rules: AlertRuleInfo[];
  /** Firing alerts by rule id. */
  firing: Record<string, FiringAlert>;
  history: AlertHistoryEntry[];
  /** Per rule id: the `since` of its last resolution, so an older firing arriving late is ignored. */
  resolvedAt: Record<string, string>;
  /** Between a (re)subscribe and the end of the server's resend (endAlertResync). */
  resyncing: boolean;
}

export const initialAlerts: AlertsState = {
  rules: [],
  firing: {},
  history: [],
  resolvedAt: {},
  resyncing: false,
};

function pushHistory(state: AlertsState, entry: AlertHistoryEntry): AlertHistoryEntry[] {
  return [entry, ...state.history].slice(0, ALERT_HISTORY);
}

function inHistory(state: AlertsState, event: AlertEvent): boolean {
  return state.history.some(
    (h) =>
      h.event.id === event.id && h.event.since === event.since && h.event.state === event.state,
  );
}

export function applyAlertRules(
  state: AlertsState,
  rules: AlertRuleInfo[] | undefined,
): AlertsState {
  return { ...state, rules: rules ?? [] };
}

/**
 * One `alert` event. Deduplicated by id + since (+ state): the server sends the same firing again
 * on every subscribe and after a failover, and restates a firing whose figures moved (the firing
 * shown takes the new message; the history keeps the first). A firing older than the rule's last resolution (a late
 * copy from another node) is ignored. Independent of the order of `update` and `alert`.
 */
export function applyAlert(state: AlertsState, event: AlertEvent, now: number): AlertsState {
  const held = state.firing[event.id];
  if (event.state === 'firing') {
    if (held && held.event.since === event.since) {
      // The same firing again (a resend), or restated with the figures it has moved to.
      if (held.event.message === event.message && held.event.value === event.value) {
        return held.unconfirmed ? confirm(state, event.id, held) : state;
      }
      const restated: FiringAlert = { event, receivedAt: held.receivedAt };
      return { ...state, firing: { ...state.firing, [event.id]: restated } };
    }
    const resolved = state.resolvedAt[event.id];
    if (resolved !== undefined && Date.parse(event.since) <= Date.parse(resolved)) return state;
    const firing = { ...state.firing, [event.id]: { event, receivedAt: now } };
    const history = inHistory(state, event)
      ? state.history
      : pushHistory(state, { event, receivedAt: now });
    return { ...state, firing, history };
  }
  if (inHistory(state, event)) return state;
  if (held && Date.parse(held.event.since) > Date.parse(event.since)) {
    // A resolution older than the firing we hold: it ended an earlier firing.
    return { ...state, history: pushHistory(state, { event, receivedAt: now }) };
  }
  const firing = Object.fromEntries(Object.entries(state.firing).filter(([id]) => id !== event.id));
  return {
    ...state,
    firing,
    history: pushHistory(state, { event, receivedAt: now }),
    resolvedAt: { ...state.resolvedAt, [event.id]: event.since },
  };
}

function confirm(state: AlertsState, id: string, held: FiringAlert): AlertsState {
  const next: FiringAlert = { event: held.event, receivedAt: held.receivedAt };
  return { ...state, firing: { ...state.firing, [id]: next } };
}

/**
 * Before (re)subscribing: every firing alert held becomes unconfirmed. The server resends what is
 * firing; endAlertResync drops whatever it did not resend.
 */
export function beginAlertResync(state: AlertsState): AlertsState {
  const firing: Record<string, FiringAlert> = {};
  for (const [id, alert] of Object.entries(state.firing))
    firing[id] = { ...alert, unconfirmed: true };
  return { ...state, firing, resyncing: true };
}

/**
 * The server's resend is complete: an alert not resent is no longer firing as far as anyone here
 * knows. It leaves the firing set and enters the history as `lost` (never shown firing from stale
 * memory).
 */
export function endAlertResync(state: AlertsState, now: number): AlertsState {
  const firing: Record<string, FiringAlert> = {};
  let history = state.history;
  for (const [id, alert] of Object.entries(state.firing)) {
    if (!alert.unconfirmed) firing[id] = alert;
    else history = [{ event: alert.event, receivedAt: now, outcome: 'lost' as const }, ...history];
  }
  return { ...state, firing, history: history.slice(0, ALERT_HISTORY), resyncing: false };
}

/** Firing alerts, most severe first, then newest first. Unconfirmed ones are included. */
export function firingList(state: AlertsState): FiringAlert[] {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return Object.values(state.firing).sort(
    (a, b) =>
      rank[a.event.severity] - rank[b.event.severity] ||
      Date.parse(b.event.since) - Date.parse(a.event.since),
  );
}
