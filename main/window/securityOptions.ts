import type { WebPreferences } from 'electron';

/**
 * The main window's web preferences, per Electron's security checklist: isolated, sandboxed
 * renderer without Node, same-origin policy on, no insecure content, no <webview>, and only the
 * preload's named API as a bridge. (The `remote` module no longer exists in Electron 45.)
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    // Middle-click must not open links in new windows behind the window-open handler's back.
    disableBlinkFeatures: 'Auxclick',
  };
}
