/**
 * Baseline: a bare Socket.IO server. Every client joins the same three rooms an Opsdeck dashboard
 * client subscribes to; `POST /broadcast?id=N` (body: the message) emits one `update` to the
 * `section:fanout` room, stamped with the time just before the emit. Also serves the static chart
 * page used as the console load baseline.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { now } from '../lib/clock.js';
import {
  baselineArgs,
  exitOnSignal,
  listen,
  broadcastBody,
  reply,
  STATIC_CHART_PAGE,
} from './common.js';

const { port } = baselineArgs();
const http = createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'POST' && url.startsWith('/broadcast')) {
    void broadcastBody(req).then((body) => {
      const sentAt = now();
      body['sentAt'] = sentAt;
      io.to('section:fanout').emit('update', body);
      reply(res, 200, { sentAt, clients: io.engine.clientsCount });
    });
    return;
  }
  if (url === '/page') return reply(res, 200, STATIC_CHART_PAGE, 'text/html; charset=utf-8');
  if (url === '/healthz') return reply(res, 200, { ok: true });
  reply(res, 404, { ok: false });
});
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  void socket.join(['section:fanout', 'section:static_a', 'section:static_b']);
});
exitOnSignal(http, () => new Promise((resolve) => void io.close(() => resolve())));
await listen(http, port);
