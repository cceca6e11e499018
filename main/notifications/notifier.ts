import type { ConnectionReport, NotificationPrefs, ReportedPhase } from '../../common/ipc.js';

/** How long the connection must stay lost before the user is told. */
export const CONNECTION_LOST_AFTER_MS = 10_000;

export interface NotifierState {
  target?: string;
  phase: ReportedPhase;
  /** Whether the current target has been connected at all (losing it only counts then). */
  everConnected: boolean;
  /** Epoch ms since when the connection has been lost. */
  lostSince?: number;
  lostNotified: boolean;
  /** Section ids reported unhealthy last time. */
  unhealthy: readonly string[];
}

export interface DesktopNotice {
  kind: 'connection-lost' | 'section-unhealthy';
  title: string;
  body: string;
}

export interface Decision {
  state: NotifierState;
  notices: DesktopNotice[];
  /** When to call onTick next (a loss that may pass the threshold), epoch ms. */
  checkAt?: number;
}

export const initialNotifierState: NotifierState = {
  phase: 'idle',
  everConnected: false,
  lostNotified: false,
  unhealthy: [],
};

/**
 * The console reported its connection: decide which desktop notifications to show. Pure: the
 * caller owns the clock, the timer and the Notification API.
 * - Connection lost: once per outage, when a connection that worked has been down for more than
 *   CONNECTION_LOST_AFTER_MS (checked again at `checkAt`). Switching targets starts afresh.
 * - Section unhealthy: once per section each time it turns unhealthy.
 */
export function onReport(
  previous: NotifierState,
  report: ConnectionReport,
  now: number,
  prefs: NotificationPrefs,
): Decision {
  const sameTarget = report.targetName === previous.target;
  const base: NotifierState = sameTarget
    ? previous
    : { ...initialNotifierState, ...(report.targetName ? { target: report.targetName } : {}) };
  const notices: DesktopNotice[] = [];

  const unhealthy = report.unhealthySections.map((s) => s.id);
  for (const section of report.unhealthySections) {
    if (base.unhealthy.includes(section.id) || !prefs.sectionUnhealthy) continue;
    notices.push({
      kind: 'section-unhealthy',
      title: `Section “${section.title}” is failing`,
      body: `${section.error ?? 'Its query fails.'}${where(report.targetName)}`,
    });
  }

  let state: NotifierState = { ...base, phase: report.phase, unhealthy };
  if (report.phase === 'connected') {
    state = { ...state, everConnected: true, lostNotified: false };
    delete state.lostSince;
  } else if (report.phase === 'idle') {
    state = { ...state, everConnected: false, lostNotified: false };
    delete state.lostSince;
  } else if (state.everConnected && state.lostSince === undefined) {
    state = { ...state, lostSince: now };
  }
  const tick = onTick(state, now, prefs);
  return { ...tick, notices: [...notices, ...tick.notices] };
}

/** Time passed: is a loss now long enough to tell? */
export function onTick(state: NotifierState, now: number, prefs: NotificationPrefs): Decision {
  if (state.lostSince === undefined || state.lostNotified) return { state, notices: [] };
  const due = state.lostSince + CONNECTION_LOST_AFTER_MS;
  if (now < due) return { state, notices: [], checkAt: due };
  const notices: DesktopNotice[] = prefs.connectionLost
    ? [
        {
          kind: 'connection-lost',
          title: 'Connection lost',
          body: `No live data for ${Math.round((now - state.lostSince) / 1000)} s${where(state.target)}. Opsdeck keeps retrying.`,
        },
      ]
    : [];
  return { state: { ...state, lostNotified: true }, notices };
}

function where(target: string | undefined): string {
  return target ? ` (${target})` : '';
}
