/**
 * A `window.opsdeck` for browser tests of the desktop console: the preload's methods
 * (common/ipc.ts OpsdeckDesktopApi) with profiles in memory, and `probeServer` handed to a
 * function the test exposes as `window.__opsdeckProbe` (page.exposeFunction), typically the main
 * process's real probe module; the alert reports it receives go to `window.__opsdeckAlertReports`
 * and its `alerts:focus` listeners to `window.__opsdeckAlertFocus`. Returned as a script for
 * `addInitScript`, so it exists before the console's code runs, exactly like the preload's.
 */
export function fakeDesktopApiScript(localDemoUrl: string): string {
  return `(() => {
  const profiles = [{ id: 'local-demo', name: 'Local demo', urls: [${JSON.stringify(localDemoUrl)}], builtin: true }];
  let active = 'local-demo';
  const off = () => () => undefined;
  const copy = (v) => JSON.parse(JSON.stringify(v));
  // What the console reported of its alerts, and its alerts:focus listeners (tests play clicks).
  window.__opsdeckAlertReports = [];
  window.__opsdeckAlertFocus = [];
  window.opsdeck = Object.freeze({
    listProfiles: async () => copy(profiles),
    saveProfile: async (p) => {
      const i = profiles.findIndex((x) => x.id === p.id);
      if (i >= 0) profiles[i] = copy(p); else profiles.push(copy(p));
      return copy(p);
    },
    deleteProfile: async (id) => {
      const i = profiles.findIndex((x) => x.id === id);
      if (i >= 0) profiles.splice(i, 1);
    },
    getActiveProfileId: async () => active,
    setActiveProfileId: async (id) => { active = id; },
    storageWarning: async () => undefined,
    getServerState: async () => ({ status: 'running', url: ${JSON.stringify(localDemoUrl)}, crashes: 0 }),
    restartServer: async () => undefined,
    openExternal: async () => false,
    getAppInfo: async () => ({ name: 'Opsdeck', version: '0.0.0', electron: 'test', chrome: 'test', node: 'test', platform: 'linux', packaged: false }),
    getNotificationPrefs: async () => ({ connectionLost: true, sectionUnhealthy: true }),
    setNotificationPrefs: async (p) => ({ connectionLost: true, sectionUnhealthy: true, ...p }),
    reportConnection: async () => undefined,
    reportAlerts: async (r) => { window.__opsdeckAlertReports.push(copy(r)); },
    probeServer: (url) => window.__opsdeckProbe(url),
    onServerStateChanged: off,
    onMenuCommand: off,
    onConnectionWake: off,
    onAlertFocus: (l) => { window.__opsdeckAlertFocus.push(l); return () => undefined; },
  });
})();`;
}
