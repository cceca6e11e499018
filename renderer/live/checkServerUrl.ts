/**
 * Server URL validation for the connect dialog's form and for "Test connection". Plain TypeScript:
 * no React, no network.
 */

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * Validates a server URL as typed by a person and returns its canonical form (`scheme://host:port`,
 * no trailing slash). Only http and https; no path, query, fragment or credentials, because the
 * console connects to the root of the server (Socket.IO at /socket.io).
 */
export function checkServerUrl(input: string): UrlCheck {
  const text = input.trim();
  if (text === '')
    return { ok: false, message: 'Enter the server URL, for example http://localhost:3001.' };
  // "localhost:3001" parses as a URL with the scheme "localhost:"; people mean http.
  if (/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d+\/?$/i.test(text)) {
    return {
      ok: false,
      message: `Start the URL with http:// or https://. Did you mean http://${text.replace(/\/$/, '')}?`,
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      message: `“${text}” is not a URL. Write it like http://host:3001 or https://ops.example.com.`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const suggestion =
      url.protocol === 'ws:'
        ? ' Use http:// instead.'
        : url.protocol === 'wss:'
          ? ' Use https:// instead.'
          : '';
    return {
      ok: false,
      message: `Only http:// and https:// URLs work (this one is ${url.protocol}//).${suggestion}`,
    };
  }
  if (url.hostname === '') return { ok: false, message: 'The URL has no host name.' };
  if (url.username || url.password) {
    return { ok: false, message: 'Put the token in the token field, not in the URL.' };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return {
      ok: false,
      message: `Use the server's address without a path (${url.protocol}//${url.host}): Opsdeck serves at the root of its host.`,
    };
  }
  return { ok: true, url: `${url.protocol}//${url.host}` };
}
