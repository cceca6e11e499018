/**
 * The console's Content-Security-Policy in the desktop app (the server's web console uses the
 * same rules): scripts and styles only from app://opsdeck, no inline code, no eval, no framing,
 * no plugins. connect-src allows http(s)/ws(s) because the console attaches to the embedded
 * server on 127.0.0.1 and to remote Opsdeck servers the user adds.
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
