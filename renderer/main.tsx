import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.js';
import { browserBridge } from './bridge/browserBridge.js';
import { attachDesktop, electronBridge } from './bridge/electronBridge.js';
import { attachWakeSignals } from './bridge/wakeSignals.js';
import { PushClient } from './live/PushClient.js';
import { parseViewOptions } from './live/viewOptions.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

const view = parseViewOptions(window.location.search);
// TV mode never gives up: a refused token is retried too (someone may fix it on the server).
const client = new PushClient({ retryForever: view.kiosk });
// In the desktop app the preload exposes `window.opsdeck`; in a browser it is absent.
const desktop = window.opsdeck;
const bridge = desktop
  ? electronBridge(desktop)
  : browserBridge(window.localStorage, window.location.origin);
if (desktop) attachDesktop(client, desktop);
// Back online, or visible again after a while: reconnect and resync at once (never stale as live).
attachWakeSignals(client, window, document);

createRoot(root).render(
  <StrictMode>
    <App client={client} bridge={bridge} view={view} />
  </StrictMode>,
);
