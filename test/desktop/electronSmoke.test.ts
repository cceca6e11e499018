import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { describe, it } from 'vitest';
import { ROOT, findElectronBinary } from './support.js';

// The real desktop app under Playwright: launch, demo data on screen, connect dialog on Ctrl/Cmd+K.
// Runs wherever the Electron binary exists; elsewhere it is reported as skipped, with the reason.

const ENTRY = join(ROOT, 'dist', 'main', 'main.js');
const ARTIFACTS = join(ROOT, 'test-artifacts');

function unavailable(): string | undefined {
  const binary = findElectronBinary();
  if ('reason' in binary) return `Electron runtime not available: ${binary.reason}`;
  if (!existsSync(ENTRY)) return 'desktop app not built: no dist/main/main.js';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (run under xvfb-run)';
  }
  return undefined;
}

const reason = unavailable();
if (reason) console.warn(`electron smoke test skipped: ${reason}`);

describe('desktop app (Playwright _electron)', () => {
  it.skipIf(reason !== undefined)(
    `launches, shows demo data and opens the connect dialog${reason ? ` [skipped: ${reason}]` : ''}`,
    async () => {
      const binary = findElectronBinary();
      if (!('path' in binary)) throw new Error(binary.reason);
      const userData = mkdtempSync(join(tmpdir(), 'opsdeck-electron-'));
      // Without ELECTRON_RUN_AS_NODE, which would start Electron as plain Node.
      const env: Record<string, string> = { ELECTRON_ENABLE_LOGGING: '1' };
      for (const [key, value] of Object.entries(process.env)) {
        if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
      }
      let app: ElectronApplication | undefined;
      try {
        app = await _electron.launch({
          executablePath: binary.path,
          // A throwaway user-data folder: no saved profiles, window state or demo database.
          args: [ENTRY, `--user-data-dir=${userData}`],
          cwd: ROOT,
          env,
          timeout: 60_000,
        });
        const window = await app.firstWindow({ timeout: 60_000 });
        await window
          .locator('[data-testid="section-kpis"][data-version]')
          .waitFor({ state: 'visible', timeout: 60_000 });
        await window.keyboard.press(process.platform === 'darwin' ? 'Meta+K' : 'Control+K');
        await window
          .locator('[data-testid="connect-dialog"]')
          .waitFor({ state: 'visible', timeout: 10_000 });
        mkdirSync(ARTIFACTS, { recursive: true });
        await window.screenshot({ path: join(ARTIFACTS, 'desktop-connect-dialog.png') });
      } finally {
        await app?.close();
        rmSync(userData, { recursive: true, force: true });
      }
    },
    150_000,
  );
});
