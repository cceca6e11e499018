import { Notification } from 'electron';
import type { ConnectionReport, NotificationPrefs } from '../../common/ipc.js';
import { initialNotifierState, onReport, onTick, type Decision } from './notifier.js';

export interface NotifierDeps {
  prefs: () => NotificationPrefs;
  /** Clicking a notification brings the window back. */
  showWindow: () => void;
  now?: () => number;
}

/** Desktop notifications from the console's connection reports (see notifier.ts). */
export function setupNotifier(deps: NotifierDeps): {
  report(report: ConnectionReport): void;
  /** The embedded server gave up: always told (the console may not be connected anywhere). */
  serverFailed(message: string): void;
  dispose(): void;
} {
  const now = deps.now ?? Date.now;
  let state = initialNotifierState;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const show = (title: string, body: string) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body });
    notification.on('click', deps.showWindow);
    notification.show();
  };

  const apply = (decision: Decision) => {
    state = decision.state;
    for (const notice of decision.notices) show(notice.title, notice.body);
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (decision.checkAt !== undefined) {
      timer = setTimeout(() => apply(onTick(state, now(), deps.prefs())), decision.checkAt - now());
    }
  };

  return {
    report: (report) => apply(onReport(state, report, now(), deps.prefs())),
    serverFailed: (message) => show('Local demo server stopped', message),
    dispose: () => {
      if (timer) clearTimeout(timer);
    },
  };
}
