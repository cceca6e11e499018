import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { CONSOLE_CONTENT_TYPES, CONSOLE_CSP } from '../../common/consoleAssets.js';

/**
 * Serves the built web console (dist/console) at `/` with the console's strict
 * Content-Security-Policy (common/consoleAssets.ts), compressed (brotli or gzip) for clients
 * that accept it.
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

/** Text files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map']);
/** Below this, a compressed body saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 1024;

export type ContentEncoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * One console file as last read: its bytes and, once made, its brotli and gzip forms. Each form is
 * made once per file version (the first request starts it, off the event loop, and is answered
 * uncompressed meanwhile: never slower than before), and kept while the file's size and
 * modification time stay. Vite's assets are content-hashed, so in practice that is for good.
 */
interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
  compressible: boolean;
  br?: Buffer;
  gzip?: Buffer;
  compressing?: Promise<void>;
}

/**
 * The encoding to send for an Accept-Encoding header, among the `available` ones: the one with the
 * highest q-value (brotli on a tie), none when the header is missing or refuses both (`;q=0`).
 * Exported for tests.
 */
export function chooseEncoding(
  header: string | string[] | undefined,
  available: readonly ContentEncoding[] = ['br', 'gzip'],
): ContentEncoding | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return undefined;
  const q = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q') weight = Number(value);
    }
    q.set(name, Number.isFinite(weight) ? weight : 0);
  }
  let best: ContentEncoding | undefined;
  let bestQ = 0;
  for (const encoding of available) {
    const weight = q.get(encoding) ?? q.get('*') ?? 0;
    if (weight > bestQ) [best, bestQ] = [encoding, weight];
  }
  return best;
}

/** Answers console paths; resolves false for paths that are not console files. */
export function staticConsole(dir: string | undefined): StaticHandler {
  const cache = new Map<string, CachedFile>();

  /** The file's current bytes (from the cache while unchanged); undefined when it is not there. */
  async function load(file: string): Promise<CachedFile | undefined> {
    let info;
    try {
      info = await stat(file);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const held = cache.get(file);
    if (held && held.mtimeMs === info.mtimeMs && held.size === info.size) return held;
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return undefined;
    }
    const entry: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      body,
      compressible: COMPRESSIBLE.has(extname(file)) && body.length >= MIN_COMPRESS_BYTES,
    };
    cache.set(file, entry);
    return entry;
  }

  /** Makes the compressed forms once, in the background; a failure leaves the file uncompressed. */
  function compress(entry: CachedFile): void {
    if (!entry.compressible || entry.compressing) return;
    const { body } = entry;
    entry.compressing = Promise.all([
      brotli(body, {
        params: {
          // Quality 6: within 10 % of the best, at gzip's speed (quality 11 takes seconds).
          [zlibConstants.BROTLI_PARAM_QUALITY]: 6,
          [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      gzipAsync(body, { level: 6 }),
    ]).then(
      ([br, gz]) => {
        if (br.length < body.length) entry.br = br;
        if (gz.length < body.length) entry.gzip = gz;
      },
      () => undefined,
    );
  }

  function respond(
    req: IncomingMessage,
    res: ServerResponse,
    entry: CachedFile,
    type: string,
    cacheControl: string,
  ): void {
    compress(entry);
    const available: ContentEncoding[] = [];
    if (entry.br) available.push('br');
    if (entry.gzip) available.push('gzip');
    const encoding = chooseEncoding(req.headers['accept-encoding'], available);
    const body = encoding ? (entry[encoding] ?? entry.body) : entry.body;
    send(res, 200, type, body, req.method === 'HEAD', cacheControl, {
      // Every response of a compressible file may differ by Accept-Encoding, the first one too.
      ...(entry.compressible ? { Vary: 'Accept-Encoding' } : {}),
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
    });
  }

  return async (req, res, path) => {
    if (path === '/' || path === '/index.html') {
      const index = dir ? await load(join(dir, 'index.html')) : undefined;
      if (!index) {
        send(res, 200, 'text/html; charset=utf-8', NOT_BUILT, req.method === 'HEAD');
        return true;
      }
      respond(req, res, index, TYPES['.html'] ?? '', 'no-cache');
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
    const entry = await load(file);
    if (!entry) return false;
    // Vite puts a content hash in asset names: they never change, so they may be cached for good.
    const cacheControl = path.startsWith('/assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    respond(req, res, entry, type, cacheControl);
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
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': cache,
    'Content-Security-Policy': CONSOLE_CSP,
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...extra,
  });
  res.end(headOnly ? undefined : body);
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Opsdeck</title>
<p>This Opsdeck server is running, but its web console is not built. Run <code>npm run build</code>
in the opsdeck folder and reload. The Socket.IO API and <a href="/healthz">/healthz</a> work meanwhile.</p>`;
