import { shell } from 'electron';

/**
 * The one check before a URL leaves the app for the system browser: http(s) only (never file:,
 * javascript:, smb:, custom handlers...), no embedded credentials, a host, a sane length.
 * Returns the normalised URL, or undefined when it must not be opened.
 */
export function checkExternalUrl(raw: string): string | undefined {
  if (raw.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  if (url.hostname === '') return undefined;
  return url.href;
}

/**
 * Opens `raw` in the system browser if it passes checkExternalUrl; the only place the app calls
 * shell.openExternal. Returns whether it was opened.
 */
export function openExternalChecked(raw: string, refused?: (raw: string) => void): boolean {
  const url = checkExternalUrl(raw);
  if (url === undefined) {
    refused?.(raw);
    return false;
  }
  shell.openExternal(url).catch(() => refused?.(raw));
  return true;
}
