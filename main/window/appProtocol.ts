import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from '../appOrigin.js';
import { CONSOLE_CONTENT_TYPES } from '../../common/consoleAssets.js';
import { CONSOLE_CSP } from './contentSecurityPolicy.js';

const TYPES = CONSOLE_CONTENT_TYPES;

/**
 * `app://` as a standard, secure scheme (own origin, fetch, code cache) instead of file://.
 * Must run before the app's ready event.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the built console (dist/console) at app://opsdeck/ with the CSP header. */
export function serveConsole(consoleDir: string): void {
  protocol.handle(APP_SCHEME, (request) => consoleResponse(request, consoleDir));
}

export async function consoleResponse(request: Request, consoleDir: string): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return plain(404, 'not found');
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return plain(405, 'method not allowed');
  const file = resolveConsoleFile(url.pathname, consoleDir);
  const type = file ? TYPES[extname(file)] : undefined;
  if (!file || !type) return plain(404, 'not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return plain(404, 'not found');
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': type,
      'Content-Security-Policy': CONSOLE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    },
  });
}

/** The file for a URL path inside `consoleDir`, or undefined (traversal, bad escapes, NUL). */
export function resolveConsoleFile(pathname: string, consoleDir: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative =
    decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^[/\\]+/, '');
  const root = resolve(consoleDir);
  const file = resolve(root, relative);
  return file.startsWith(root + sep) ? file : undefined;
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': CONSOLE_CSP,
    },
  });
}
