import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { isAppUrl } from '../appOrigin.js';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/**
 * Accepts an IPC message only from our main window's web contents, from its top frame, showing a
 * page of our own origin (app://opsdeck). Anything else (another window, a subframe, a page that
 * navigated elsewhere, a destroyed frame) is refused.
 */
export function senderCheck(getWindow: () => BrowserWindow | undefined): SenderCheck {
  return (event) => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return false;
    if (event.sender.id !== window.webContents.id) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppUrl(frame.url);
  };
}
