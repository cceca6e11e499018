import type { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from '../appOrigin.js';

/** The console's address in or out of TV mode (renderer/live/viewOptions.ts reads `?kiosk`). */
export function consoleUrl(kiosk: boolean): string {
  return kiosk ? `${APP_ENTRY_URL}?kiosk` : APP_ENTRY_URL;
}

/**
 * View > Kiosk Mode: the window full screen without its frame (Electron's kiosk) and the console
 * in TV mode (`?kiosk`: no chrome, larger type, idle cursor hidden, alerts full width, retries
 * forever). The console reloads into the mode; it reconnects and resyncs with what it held.
 */
export function setKioskView(window: BrowserWindow, kiosk: boolean): void {
  window.setKiosk(kiosk);
  void window.loadURL(consoleUrl(kiosk));
}
