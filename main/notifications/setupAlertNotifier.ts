import { Notification } from 'electron';
import type { AlertFocus, AlertsReport } from '../../common/ipc.js';
import { decideAlertNotices } from './alertNotifier.js';

export interface AlertNotifierDeps {
  /** View > Mute Alerts (main/preferences). */
  muted: () => boolean;
  /** Clicking a notification brings the window back... */
  showWindow: () => void;
  /** ...and shows the alert's card (main -> renderer `alerts:focus`). */
  focusAlert: (focus: AlertFocus) => void;
}

/**
 * Desktop notifications for alerts (see alertNotifier.ts): one per firing, silent unless the
 * console's Sound switch is on, none while muted; a click shows the window and the card.
 */
export function setupAlertNotifier(deps: AlertNotifierDeps): {
  report(report: AlertsReport): void;
} {
  let seen: string[] = [];
  // Electron drops a notification's click handler when the object is garbage collected.
  const shown = new Map<string, Notification>();

  return {
    report(report) {
      const decision = decideAlertNotices(seen, report, deps.muted());
      seen = decision.seen;
      if (!Notification.isSupported()) return;
      for (const notice of decision.notices) {
        const notification = new Notification({
          title: notice.title,
          body: notice.body,
          silent: !report.sound,
          urgency: notice.urgent ? 'critical' : 'normal',
        });
        notification.on('click', () => {
          deps.showWindow();
          deps.focusAlert(notice.focus);
        });
        notification.on('close', () => shown.delete(notice.key));
        shown.set(notice.key, notification);
        if (shown.size > 20) shown.delete(shown.keys().next().value ?? '');
        notification.show();
      }
    },
  };
}
