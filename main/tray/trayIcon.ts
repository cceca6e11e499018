import { join } from 'node:path';
import type { ReportedPhase } from '../../common/ipc.js';

/** The tray states; also the names of the icons in assets/tray (`<state>-16.png`, ...). */
export type TrayState = 'connected' | 'reconnecting' | 'disconnected' | 'idle';

/** The tray's colour follows the console's connection: green, amber, red, grey. */
export function trayState(phase: ReportedPhase): TrayState {
  switch (phase) {
    case 'connected':
      return 'connected';
    case 'connecting':
    case 'reconnecting':
      return 'reconnecting';
    case 'unreachable':
    case 'unauthorized':
      return 'disconnected';
    case 'idle':
      return 'idle';
  }
}

export const TRAY_LABELS: Record<TrayState, string> = {
  connected: 'connected',
  reconnecting: 'connecting',
  disconnected: 'not connected',
  idle: 'idle',
};

/**
 * The icon file for a state: 32 px on Linux (panels draw tray icons larger), 16 px elsewhere;
 * nativeImage picks the `@2x` file on high-density screens by itself.
 */
export function trayIconPath(
  assetsDir: string,
  state: TrayState,
  platform: NodeJS.Platform,
): string {
  return join(assetsDir, 'tray', `${state}-${platform === 'linux' ? 32 : 16}.png`);
}

/** Fallback colours (the console's --ok, --warn, --danger, --muted) when an icon file is missing. */
export const TRAY_COLORS: Record<TrayState, readonly [number, number, number]> = {
  connected: [46, 160, 67],
  reconnecting: [219, 154, 4],
  disconnected: [218, 54, 51],
  idle: [139, 148, 158],
};

/**
 * A filled disc of `rgb` on transparent ground, as raw BGRA pixels for nativeImage.createFromBitmap
 * (the fallback when assets/tray is missing). Edge pixels are blended for a smooth outline.
 */
export function trayBitmap(rgb: readonly [number, number, number], size: number): Buffer {
  const [r, g, b] = rgb;
  const pixels = Buffer.alloc(size * size * 4);
  const center = (size - 1) / 2;
  const radius = size * 0.42;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - center, y - center);
      const coverage = Math.max(0, Math.min(1, radius - distance + 0.5));
      const offset = (y * size + x) * 4;
      pixels[offset] = b;
      pixels[offset + 1] = g;
      pixels[offset + 2] = r;
      pixels[offset + 3] = Math.round(coverage * 255);
    }
  }
  return pixels;
}
