import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Serves the built web console (dist/console) at `/` with a strict Content-Security-Policy: only
 * this origin's scripts and styles, no inline code, no framing. connect-src allows any http(s)
 * and ws(s) origin because the connect dialog attaches to other Opsdeck servers.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' http: https: ws: wss:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The console's folder: dist/console, seen from dist/server/http or from server/http (tests). */
export function findConsoleDir(): string | undefined {
  for (const rel of ['../../console/', '../../dist/console/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

export type StaticHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) => Promise<boolean>;

/** Answers console paths; resolves false for paths that are not console files. */
export function staticConsole(dir: string | undefined): StaticHandler {
  return async (req, res, path) => {
    if (path === '/' || path === '/index.html') {
      if (!dir) {
        send(res, 200, 'text/html; charset=utf-8', NOT_BUILT, req.method === 'HEAD');
        return true;
      }
      const html = await readFile(join(dir, 'index.html'));
      send(res, 200, TYPES['.html'] ?? '', html, req.method === 'HEAD', 'no-cache');
      return true;
    }
    if (!dir) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false; // malformed %-escape: not a console file
    }
    const file = normalize(join(dir, decoded));
    if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return false;
    const type = TYPES[extname(file)];
    if (!type) return false;
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return false;
    }
    // Vite puts a content hash in asset names: they never change, so they may be cached for good.
    const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    send(res, 200, type, body, req.method === 'HEAD', cache);
    return true;
  };
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer | string,
  headOnly: boolean,
  cache = 'no-cache',
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': cache,
    'Content-Security-Policy': CONSOLE_CSP,
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  res.end(headOnly ? undefined : body);
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Opsdeck</title>
<p>This Opsdeck server is running, but its web console is not built. Run <code>npm run build</code>
in the opsdeck folder and reload. The Socket.IO API and <a href="/healthz">/healthz</a> work meanwhile.</p>`;
