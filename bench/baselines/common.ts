import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { now } from '../lib/clock.js';

/** `--port N --db URL`, as the baseline servers take them. */
export function baselineArgs(): { port: number; db: string | undefined } {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '0' }, db: { type: 'string' } },
  });
  return { port: Number(values.port), db: values.db };
}

/** Listens on loopback, prints the `listening on URL` line the benchmark waits for. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const real = typeof address === 'object' && address ? address.port : port;
      process.stdout.write(`listening on http://127.0.0.1:${real}\n`);
      resolve();
    });
  });
}

/** SIGTERM/SIGINT: close, run `cleanup`, exit 0. */
export function exitOnSignal(
  server: Server,
  cleanup: () => Promise<void> = () => Promise.resolve(),
): void {
  const stop = () => {
    server.closeAllConnections();
    server.close();
    void cleanup().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * The message to broadcast: the request body (the benchmark posts a copy of a real Opsdeck
 * `update`, so that every server sends the same JSON shape and size) stamped with `id` and
 * `sentAt`.
 */
export async function broadcastBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  body['id'] = Number(query(req).get('id'));
  return body;
}

/**
 * The HTTP side of a broadcast baseline: `POST /broadcast?id=N` stamps the body (broadcastBody)
 * with `sentAt`, the time just before `broadcast` sends it, and answers `{ sentAt, clients }`
 * with the client count `broadcast` returns; `GET /healthz`; `page`, when given, at `/page`;
 * anything else 404.
 */
export function broadcastServer(
  broadcast: (body: Record<string, unknown>) => number,
  page?: string,
): Server {
  return createServer((req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'POST' && url.startsWith('/broadcast')) {
      void broadcastBody(req).then((body) => {
        const sentAt = now();
        body['sentAt'] = sentAt;
        const clients = broadcast(body);
        reply(res, 200, { sentAt, clients });
      });
      return;
    }
    if (page !== undefined && url === '/page') {
      return reply(res, 200, page, 'text/html; charset=utf-8');
    }
    if (url === '/healthz') return reply(res, 200, { ok: true });
    reply(res, 404, { ok: false });
  });
}

export function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
}

export function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A page with one drawn SVG chart and nothing else: the floor for "load to first chart". */
export const STATIC_CHART_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>baseline chart</title></head>
<body><svg id="chart" width="600" height="200" viewBox="0 0 600 200">
<polyline fill="none" stroke="#4a90d9" stroke-width="2"
 points="0,150 50,120 100,130 150,90 200,100 250,60 300,80 350,40 400,70 450,50 500,30 550,60 600,20"/>
</svg></body></html>`;
