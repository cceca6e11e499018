/**
 * Baseline: a bare `ws` server (the WebSocket library under engine.io) on path /ws.
 * `POST /broadcast?id=N` (body: the message) serialises it once and sends it to every open
 * client, stamped with the time just before the loop.
 */
import { WebSocket, WebSocketServer } from 'ws';
import { baselineArgs, broadcastServer, exitOnSignal, listen } from './common.js';

const { port } = baselineArgs();
const http = broadcastServer((body) => {
  const data = Buffer.from(JSON.stringify(body));
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary: false });
  }
  return wss.clients.size;
});
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
exitOnSignal(http, () => new Promise((resolve) => wss.close(() => resolve())));
await listen(http, port);
