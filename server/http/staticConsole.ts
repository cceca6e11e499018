import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_CONTENT_TYPES, CONSOLE_CSP } from '../../common/consoleAssets.js';

/**
 * Serves the built web console (dist/console) at `/` with the console's strict
 * Content-Security-Policy (common/consoleAssets.ts).
 */
export { CONSOLE_CSP };

const TYPES = CONSOLE_CONTENT_TYPES;

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
