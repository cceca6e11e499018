/**
 * The web console's wake-up signals: the browser says the network came back or changed
 * (`online`, `offline`), or the tab is visible again after being hidden a while (a laptop lid
 * opened, a phone unlocked, a background tab the browser froze). An open socket may then be dead
 * without knowing it; the push client reconnects at once and keeps every card stale until its
 * resync lands (PushClient.wake). The desktop app adds the OS's signals (followConnectionWake).
 */

/** Hidden at least this long, then visible: wake up. Shorter (switching tabs) is not a wake-up. */
export const WAKE_AFTER_HIDDEN_MS = 5000;

export interface Wakeable {
  wake(): void;
}

type Target = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/** Listens on `win` (online, offline) and `doc` (visibilitychange); returns the function that stops. */
export function attachWakeSignals(
  client: Wakeable,
  win: Target,
  doc: Target & { readonly visibilityState: DocumentVisibilityState },
  now: () => number = Date.now,
): () => void {
  let hiddenSince = doc.visibilityState === 'hidden' ? now() : undefined;
  const onNetwork = () => client.wake();
  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') {
      hiddenSince ??= now();
      return;
    }
    const since = hiddenSince;
    hiddenSince = undefined;
    if (since !== undefined && now() - since >= WAKE_AFTER_HIDDEN_MS) client.wake();
  };
  win.addEventListener('online', onNetwork);
  win.addEventListener('offline', onNetwork);
  doc.addEventListener('visibilitychange', onVisibility);
  return () => {
    win.removeEventListener('online', onNetwork);
    win.removeEventListener('offline', onNetwork);
    doc.removeEventListener('visibilitychange', onVisibility);
  };
}
