/**
 * The custom protocol the console is served from. Chromium treats `app://opsdeck` as a secure,
 * standard origin (see window/appProtocol.ts); IPC handlers accept only frames of this origin.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'opsdeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether `raw` is a URL of our origin. Node's URL gives non-special schemes the origin "null",
 * so protocol and host are compared instead.
 */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.host === APP_HOST &&
    url.username === '' &&
    url.password === ''
  );
}
