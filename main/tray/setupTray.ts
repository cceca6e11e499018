import { Menu, Tray, app, nativeImage, type NativeImage } from 'electron';
import type { ConnectionReport } from '../../common/ipc.js';
import { alertsTooltip } from '../notifications/alertNotifier.js';
import {
  TRAY_COLORS,
  TRAY_LABELS,
  trayBitmap,
  trayIconPath,
  trayState,
  type TrayState,
} from './trayIcon.js';

export interface TrayDeps {
  /** assets/ (tray/<state>-16.png ...). */
  assetsDir: string;
  platform?: NodeJS.Platform;
  showWindow: () => void;
  quit: () => void;
}

/**
 * The tray icon: icon and tooltip follow the console's connection; the tooltip says how many
 * alerts need attention, and so do the menu-bar title and the dock badge on macOS (the launcher's
 * badge on Linux, where the desktop supports one); menu Show and Quit.
 */
export function setupTray(deps: TrayDeps): {
  update(report: ConnectionReport): void;
  /** Firing alerts neither acknowledged nor snoozed. */
  alerts(loud: number): void;
  destroy(): void;
} {
  const platform = deps.platform ?? process.platform;
  const icon = (state: TrayState): NativeImage => {
    const image = nativeImage.createFromPath(trayIconPath(deps.assetsDir, state, platform));
    if (!image.isEmpty()) return image;
    return nativeImage.createFromBitmap(trayBitmap(TRAY_COLORS[state], 32), {
      width: 32,
      height: 32,
      scaleFactor: 2,
    });
  };

  let state: TrayState = 'idle';
  let connectionWords = 'Opsdeck';
  let loudAlerts = 0;
  const tray = new Tray(icon(state));
  const tooltip = () => {
    const alerts = alertsTooltip(loudAlerts);
    tray.setToolTip(alerts ? `${connectionWords} — ${alerts}` : connectionWords);
  };
  tray.setToolTip('Opsdeck');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Opsdeck', click: () => deps.showWindow() },
      { type: 'separator' },
      { label: 'Quit', click: () => deps.quit() },
    ]),
  );
  tray.on('click', () => deps.showWindow());

  return {
    update(report) {
      const next = trayState(report.phase);
      const where = report.targetName && next !== 'idle' ? ` to ${report.targetName}` : '';
      connectionWords = `Opsdeck: ${TRAY_LABELS[next]}${where}`;
      tooltip();
      if (next === state) return;
      state = next;
      tray.setImage(icon(state));
    },
    alerts(loud) {
      if (loud === loudAlerts) return;
      loudAlerts = loud;
      tooltip();
      if (platform === 'darwin') tray.setTitle(loud > 0 ? String(loud) : '');
      if (platform === 'darwin' || platform === 'linux') app.setBadgeCount(loud);
    },
    destroy: () => tray.destroy(),
  };
}
