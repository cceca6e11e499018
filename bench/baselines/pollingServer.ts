/**
 * Baseline: the system Opsdeck replaces. Each dashboard polls `GET /dashboard` every 5 s and the
 * server runs the three section queries for every request, whoever else asked a moment ago.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { SALES_SECTIONS } from '../lib/salesDb.js';
import { baselineArgs, exitOnSignal, listen, reply } from './common.js';

const { port, db } = baselineArgs();
if (!db) throw new Error('pollingServer needs --db URL');
const pool = new pg.Pool({ connectionString: db, max: 5 });
pool.on('error', () => undefined);

const http = createServer((req, res) => {
  if (req.url === '/healthz') return reply(res, 200, { ok: true });
  if (req.url !== '/dashboard') return reply(res, 404, { ok: false });
  void (async () => {
    try {
      const body: Record<string, unknown[]> = {};
      for (const section of SALES_SECTIONS) {
        body[section.id] = (await pool.query(section.sql)).rows;
      }
      reply(res, 200, body);
    } catch (error) {
      reply(res, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
exitOnSignal(http, () => pool.end());
await listen(http, port);
