import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.js';
import { browserBridge } from './bridge/browserBridge.js';
import { PushClient } from './live/PushClient.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

const client = new PushClient();
const bridge = browserBridge(window.localStorage, window.location.origin);

createRoot(root).render(
  <StrictMode>
    <App client={client} bridge={bridge} />
  </StrictMode>,
);
