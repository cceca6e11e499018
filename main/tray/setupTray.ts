import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { ConnectionReport } from '../../common/ipc.js';
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

/** The tray icon: icon and tooltip follow the console's connection; menu Show and Quit. */
export function setupTray(deps: TrayDeps): {
  update(report: ConnectionReport): void;
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
  const tray = new Tray(icon(state));
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
      tray.setToolTip(`Opsdeck: ${TRAY_LABELS[next]}${where}`);
      if (next === state) return;
      state = next;
      tray.setImage(icon(state));
    },
    destroy: () => tray.destroy(),
  };
}
