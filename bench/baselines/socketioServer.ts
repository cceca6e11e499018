/**
 * Baseline: a bare Socket.IO server. Every client joins the same three rooms an Opsdeck dashboard
 * client subscribes to; `POST /broadcast?id=N` (body: the message) emits one `update` to the
 * `section:fanout` room, stamped with the time just before the emit. Also serves the static chart
 * page used as the console load baseline.
 */
import { Server } from 'socket.io';
import {
  baselineArgs,
  broadcastServer,
  exitOnSignal,
  listen,
  STATIC_CHART_PAGE,
} from './common.js';

const { port } = baselineArgs();
const http = broadcastServer((body) => {
  io.to('section:fanout').emit('update', body);
  return io.engine.clientsCount;
}, STATIC_CHART_PAGE);
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  void socket.join(['section:fanout', 'section:static_a', 'section:static_b']);
});
exitOnSignal(http, () => new Promise((resolve) => void io.close(() => resolve())));
await listen(http, port);
