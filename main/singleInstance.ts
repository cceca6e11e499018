import { app } from 'electron';

/**
 * One Opsdeck per user: a second launch focuses the running window and exits. Returns false in
 * the second instance (which is quitting).
 */
export function setupSingleInstance(focus: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focus());
  return true;
}
