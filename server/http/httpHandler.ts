import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogBody } from '../../common/protocol.js';
import { bearerToken } from '../socket/tokenCheck.js';
import type { Metrics } from '../metrics/Metrics.js';
import type { StaticHandler } from './staticConsole.js';

export interface HttpDeps {
  metrics: Metrics;
  catalog: () => CatalogBody;
  /** Resolves when the database (and Redis, in a cluster) answer; rejects with the reason. */
  readiness: () => Promise<void>;
  /** Null when the server has no tokens. */
  checkToken: ((token: unknown) => boolean) | null;
  /** The web console's files, when built. */
  console?: StaticHandler;
}

/**
 * The HTTP endpoints of docs/http.md. Socket.IO handles /socket.io/ before this runs.
 */
export function httpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void route(deps, req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { ok: false, reason: 'internal error' });
      else res.end();
    });
  };
}

async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return json(res, 405, { ok: false, reason: 'method not allowed' });
  }
  switch (path) {
    case '/healthz':
      // Public and harmless: lets a console on another origin tell "reachable Opsdeck" apart.
      res.setHeader('Access-Control-Allow-Origin', '*');
      return json(res, 200, { ok: true });
    case '/readyz':
      try {
        await deps.readiness();
        if (deps.metrics.degradedReason) throw new Error(deps.metrics.degradedReason);
        return json(res, 200, { ok: true });
      } catch (error) {
        return json(res, 503, { ok: false, reason: (error as Error).message || 'not ready' });
      }
    case '/metrics': {
      const body = await deps.metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': deps.metrics.registry.contentType });
      res.end(body);
      return;
    }
    case '/api/sections':
      if (deps.checkToken && !deps.checkToken(bearerToken(req.headers.authorization))) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return json(res, 401, {
          ok: false,
          error: { code: 'unauthorized', message: 'unauthorized' },
        });
      }
      return json(res, 200, { ok: true, ...deps.catalog() });
    default:
      if (deps.console && (await deps.console(req, res, path))) return;
      return json(res, 404, { ok: false, reason: `not found: ${path}` });
  }
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}
