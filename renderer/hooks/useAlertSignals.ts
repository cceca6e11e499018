import { useEffect, useRef } from 'react';
import { firingKey, isQuiet, type AlertPrefs } from '../live/AlertPrefs.js';
import { armAlertSound, playAlertBeep } from '../live/alertSound.js';
import type { PushClient } from '../live/PushClient.js';
import { useNow } from './useNow.js';
import { useStore } from './useStore.js';

const BASE_TITLE = 'Opsdeck';

/** The tab title: the count of firing, unacknowledged alerts ("(2) Opsdeck"); says when offline. */
export function alertTitle(loud: number, live: boolean): string {
  const count = loud > 0 ? `(${loud}) ` : '';
  return live ? `${count}${BASE_TITLE}` : `${count}${BASE_TITLE} — disconnected`;
}

/**
 * The page's signals for alerts: the tab title counts firing alerts that are neither acknowledged
 * nor snoozed, and (when the user turned sound on) a short beep for each new loud firing, which
 * browsers allow only after the user's first interaction with the page.
 */
export function useAlertSignals(client: PushClient, prefs: AlertPrefs): void {
  const alerts = useStore(client.alerts);
  const connection = useStore(client.connection);
  const prefsState = useStore(prefs.store);
  const now = useNow(5000); // a snooze that ran out makes the alert loud again
  const heard = useRef(new Set<string>());

  useEffect(() => armAlertSound(), []);

  const loud = Object.values(alerts.firing).filter(
    (a) => !a.unconfirmed && !isQuiet(prefsState, a.event, now),
  );
  const live = connection.phase === 'connected';

  useEffect(() => {
    document.title = alertTitle(loud.length, live);
  }, [loud.length, live]);

  useEffect(() => {
    const fresh = loud.filter((a) => !heard.current.has(firingKey(a.event)));
    for (const a of fresh) heard.current.add(firingKey(a.event));
    // In the desktop app the sound comes with the OS notification (and View > Mute Alerts).
    if (prefsState.sound && fresh.length > 0 && window.opsdeck === undefined) {
      playAlertBeep(fresh.some((a) => a.event.severity === 'critical'));
    }
  });
}
