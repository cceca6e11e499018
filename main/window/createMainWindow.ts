import { screen, type BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from '../appOrigin.js';
import { installNavigationGuards } from './navigationGuards.js';
import { newSecureWindow } from './securityOptions.js';
import {
  MIN_HEIGHT,
  MIN_WIDTH,
  fitToDisplays,
  loadWindowState,
  trackWindowState,
} from './windowState.js';

export interface MainWindowOptions {
  /** dist/main/preload.cjs */
  preload: string;
  /** window-state.json in the user-data folder. */
  stateFile: string;
  /** Opens a checked http(s) URL in the system browser. */
  openExternal: (url: string) => void;
  /** Window icon (Linux, Windows; macOS uses the bundle's). */
  icon?: string;
}

/**
 * The console window: secure web preferences, navigation guards, remembered bounds, shown once
 * its first paint is ready, loading app://opsdeck/index.html.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const state = fitToDisplays(loadWindowState(options.stateFile), workAreas);
  const window = newSecureWindow(
    {
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      width: state.width,
      height: state.height,
      minWidth: MIN_WIDTH,
      minHeight: MIN_HEIGHT,
      show: false,
      title: 'Opsdeck',
      backgroundColor: '#0f1419',
      ...(options.icon ? { icon: options.icon } : {}),
    },
    options.preload,
  );
  installNavigationGuards(window.webContents, options.openExternal);
  if (state.maximized) window.maximize();
  if (state.fullScreen) window.setFullScreen(true);
  trackWindowState(window, options.stateFile);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
