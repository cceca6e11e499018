/**
 * The console's entry: small on purpose. It opens the connection to the last used server first,
 * then loads the React console (renderConsole.tsx, a chunk of its own that index.html preloads, so
 * it downloads and compiles meanwhile) and renders it. The first data is usually on its way, or
 * here, by the time React draws the dashboard.
 */
import { browserBridge } from './bridge/browserBridge.js';
import type { DesktopBridge } from './bridge/DesktopBridge.js';
import { attachWakeSignals } from './bridge/wakeSignals.js';
import { connectLastProfile } from './lastProfile.js';
import { PushClient } from './live/PushClient.js';
import { parseViewOptions } from './live/viewOptions.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

const view = parseViewOptions(window.location.search);
// TV mode never gives up: a refused token is retried too (someone may fix it on the server).
const client = new PushClient({ retryForever: view.kiosk });
// Back online, or visible again after a while: reconnect and resync at once (never stale as live).
attachWakeSignals(client, window, document);

// In the desktop app the preload exposes `window.opsdeck`; in a browser it is absent. The desktop
// glue (and zod, which checks what main sends) is a chunk of its own that a browser never loads.
const desktop = window.opsdeck;
const bridge: Promise<DesktopBridge> = desktop
  ? import('./bridge/electronBridge.js').then(({ attachDesktop, electronBridge }) => {
      attachDesktop(client, desktop);
      return electronBridge(desktop);
    })
  : Promise.resolve(browserBridge(window.localStorage, window.location.origin));

const started = bridge.then((b) => {
  // Answered from localStorage in a browser: connects before React has even been loaded.
  void connectLastProfile(b, client);
  return b;
});
Promise.all([started, import('./renderConsole.js')]).then(
  ([b, { renderConsole }]) =>
    renderConsole(root, { client, bridge: b, view, connectAtStart: false }),
  (error: unknown) => {
    // A chunk that is gone (the server was updated meanwhile) or a desktop bridge that failed.
    root.textContent = 'The console could not be loaded. Reload the page to try again.';
    throw error;
  },
);
