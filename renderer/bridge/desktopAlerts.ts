/**
 * The console's side of desktop alerts: tells the main process which firing alerts need attention
 * (its notifications and tray badge, main/notifications/alertNotifier.ts), and shows an alert's
 * card when its notification is clicked.
 */
import type { DashboardInfo } from '../../common/alerts.js';
import type { AlertsReport, OpsdeckDesktopApi } from '../../common/ipc.js';
import { isQuiet, type AlertPrefsState } from '../live/AlertPrefs.js';
import { firingList, type AlertsState } from '../live/alertsReducer.js';
import type { Store } from '../live/Store.js';
import type { ConnectionState, SectionsState } from '../live/state.js';
import { checkedAlertFocus } from './desktopEvents.js';
import { focusSectionCard } from './focusCard.js';

/** How often a snooze running out is noticed (it makes the alert loud again). */
export const SNOOZE_CHECK_MS = 5000;

type Readable<T> = Pick<Store<T>, 'get' | 'subscribe'>;

export interface AlertsSource {
  readonly connection: Readable<ConnectionState>;
  readonly sections: Readable<SectionsState>;
  readonly alerts: Readable<AlertsState>;
}

/**
 * The loud alerts: firing, confirmed by the server since the last (re)connect (held ones are not
 * live), neither acknowledged nor snoozed. The same alerts the tab title counts.
 */
export function alertsReport(
  source: AlertsSource,
  prefs: AlertPrefsState,
  now: number,
): AlertsReport {
  const sections = source.sections.get();
  const live = source.connection.get().phase === 'connected';
  const loud = live
    ? firingList(source.alerts.get()).filter(
        (a) => a.unconfirmed === undefined && !isQuiet(prefs, a.event, now),
      )
    : [];
  return {
    loud: loud.map(({ event }) => ({
      id: event.id,
      section: event.section,
      sectionTitle: sections.byId[event.section]?.info.title ?? event.section,
      severity: event.severity,
      since: event.since,
      message: event.message,
    })),
    sound: prefs.sound,
  };
}

/** Sends the report whenever it changes; returns the function that stops. */
export function reportAlerts(
  source: AlertsSource,
  prefs: Readable<AlertPrefsState>,
  api: Pick<OpsdeckDesktopApi, 'reportAlerts'>,
  now: () => number = Date.now,
): () => void {
  let last = '';
  const send = () => {
    const report = alertsReport(source, prefs.get(), now());
    const key = JSON.stringify(report);
    if (key === last) return;
    last = key;
    api.reportAlerts(report).catch(() => undefined);
  };
  const offs = [
    source.alerts.subscribe(send),
    source.connection.subscribe(send),
    source.sections.subscribe(send),
    prefs.subscribe(send),
  ];
  const timer = setInterval(send, SNOOZE_CHECK_MS);
  send();
  return () => {
    clearInterval(timer);
    for (const off of offs) off();
  };
}

/** A notification was clicked: show its section's card (switching dashboards if needed). */
export function followAlertFocus(
  source: Pick<AlertsSource, 'sections'>,
  api: Pick<OpsdeckDesktopApi, 'onAlertFocus'>,
  focus: (section: string, dashboards: DashboardInfo[] | undefined) => void = focusSectionCard,
): () => void {
  return api.onAlertFocus((payload) => {
    const checked = checkedAlertFocus(payload);
    if (checked) focus(checked.section, source.sections.get().dashboards);
  });
}
