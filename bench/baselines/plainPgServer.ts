/**
 * Baseline: a live dashboard server written the obvious way, with stock Socket.IO and pg. It
 * LISTENs on the channel the notify triggers use; on every notification it re-runs the three
 * seed-section queries and emits each one's rows to that section's room. Clients join rooms with
 * `subscribe` (`{ sections }`, acknowledged `{ ok, sections }`) and get the last rows at once.
 * No hashing, no versions kept across restarts, no coalescing, no slow-consumer handling.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';
import { SALES_SECTIONS } from '../lib/salesDb.js';
import { baselineArgs, exitOnSignal, listen, reply } from './common.js';

const { port, db } = baselineArgs();
if (!db) throw new Error('plainPgServer needs --db URL');
const pool = new pg.Pool({ connectionString: db, max: 5 });
pool.on('error', () => undefined);
const listener = new pg.Client({ connectionString: db });

interface Latest {
  section: string;
  version: number;
  rows: unknown[];
  changedAt: string;
  queriedAt: string;
}
const latest = new Map<string, Latest>();

const http = createServer((req, res) => {
  if (req.url === '/healthz') return reply(res, 200, { ok: true });
  reply(res, 404, { ok: false });
});
const io = new Server(http, { serveClient: false });

io.on('connection', (socket) => {
  socket.on('subscribe', (req: { sections?: unknown }, ack: (res: unknown) => void) => {
    const ids = Array.isArray(req.sections) ? req.sections.map(String) : [];
    void socket.join(ids.map((id) => `section:${id}`));
    ack({ ok: true, sections: ids });
    for (const id of ids) {
      const last = latest.get(id);
      if (last) socket.emit('update', last);
    }
  });
});

async function refresh(changedAt: string): Promise<void> {
  await Promise.all(
    SALES_SECTIONS.map(async (section) => {
      const { rows } = await pool.query(section.sql);
      const update: Latest = {
        section: section.id,
        version: (latest.get(section.id)?.version ?? 0) + 1,
        rows,
        changedAt,
        queriedAt: new Date().toISOString(),
      };
      latest.set(section.id, update);
      io.to(`section:${section.id}`).emit('update', update);
    }),
  );
}

listener.on('notification', () => {
  refresh(new Date().toISOString()).catch((error: unknown) =>
    process.stderr.write(`refresh failed: ${String(error)}\n`),
  );
});
await listener.connect();
await listener.query('LISTEN opsdeck_changes');
await refresh(new Date().toISOString());

exitOnSignal(http, async () => {
  await new Promise<void>((resolve) => void io.close(() => resolve()));
  await listener.end();
  await pool.end();
});
await listen(http, port);
