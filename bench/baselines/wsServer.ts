/**
 * Baseline: a bare `ws` server (the WebSocket library under engine.io) on path /ws.
 * `POST /broadcast?id=N` (body: the message) serialises it once and sends it to every open
 * client, stamped with the time just before the loop.
 */
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { now } from '../lib/clock.js';
import { baselineArgs, exitOnSignal, listen, broadcastBody, reply } from './common.js';

const { port } = baselineArgs();
const http = createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'POST' && url.startsWith('/broadcast')) {
    void broadcastBody(req).then((body) => {
      const sentAt = now();
      body['sentAt'] = sentAt;
      const data = Buffer.from(JSON.stringify(body));
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) client.send(data, { binary: false });
      }
      reply(res, 200, { sentAt, clients: wss.clients.size });
    });
    return;
  }
  if (url === '/healthz') return reply(res, 200, { ok: true });
  reply(res, 404, { ok: false });
});
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
exitOnSignal(http, () => new Promise((resolve) => wss.close(() => resolve())));
await listen(http, port);
