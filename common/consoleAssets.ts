/**
 * How the built console is served, by the server at `/` and by the desktop app on app://opsdeck
 * alike: its Content-Security-Policy and the content types of its files.
 *
 * The CSP allows scripts and styles only from the console's own origin, no inline code, no eval,
 * no framing, no plugins. connect-src allows any http(s)/ws(s) origin because the connect dialog
 * attaches to other Opsdeck servers (and the desktop console to the embedded one on 127.0.0.1).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' http: https: ws: wss:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Content types of the files Vite puts in dist/console, by extension. */
export const CONSOLE_CONTENT_TYPES: Readonly<Record<string, string>> = {
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
