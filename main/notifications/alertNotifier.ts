import type { AlertSeverity } from '../../common/alerts.js';
import type { AlertFocus, AlertsReport, ReportedAlert } from '../../common/ipc.js';

/** Firings remembered as already told (oldest forgotten first): far more than a screen sees. */
export const REMEMBERED_FIRINGS = 500;

const SEVERITY_WORD: Record<AlertSeverity, string> = {
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical',
};

export interface AlertNotice {
  /** `id@since`: the firing it is about. */
  key: string;
  title: string;
  body: string;
  /** Critical alerts ask the desktop for attention (Linux urgency). */
  urgent: boolean;
  /** Clicking it shows this card. */
  focus: AlertFocus;
}

export interface AlertDecision {
  /** Firings told (or passed over while muted), oldest first. */
  seen: string[];
  notices: AlertNotice[];
}

/** One firing's identity: the rule and when it started firing. */
export function firingKey(alert: Pick<ReportedAlert, 'id' | 'since'>): string {
  return `${alert.id}@${alert.since}`;
}

/**
 * Which desktop notifications the console's alert report calls for. Pure: the caller owns the
 * Notification API. Once per firing (`id@since`): a firing sent again after a reconnect, a resync
 * or a reload of the console is not told twice. The report only carries loud alerts (confirmed by
 * the server, neither acknowledged nor snoozed). While muted nothing is told, and what fired
 * meanwhile is not told later either (unmuting does not replay a burst).
 */
export function decideAlertNotices(
  seen: readonly string[],
  report: AlertsReport,
  muted: boolean,
): AlertDecision {
  const known = new Set(seen);
  const notices: AlertNotice[] = [];
  const added: string[] = [];
  for (const alert of report.loud) {
    const key = firingKey(alert);
    if (known.has(key)) continue;
    known.add(key);
    added.push(key);
    if (muted) continue;
    notices.push({
      key,
      title: `${SEVERITY_WORD[alert.severity]}: ${alert.sectionTitle || alert.section}`,
      body: alert.message,
      urgent: alert.severity === 'critical',
      focus: { id: alert.id, section: alert.section },
    });
  }
  const next = added.length > 0 ? [...seen, ...added].slice(-REMEMBERED_FIRINGS) : [...seen];
  return { seen: next, notices };
}

/** The tray's words for the loud alerts: "" when none. */
export function alertsTooltip(loud: number): string {
  if (loud === 0) return '';
  return loud === 1 ? '1 alert needs attention' : `${loud} alerts need attention`;
}
