import { useCallback, useEffect, useState } from 'react';
import type { AlertSeverity } from '../../common/alerts.js';
import type { DesktopBridge, Profile } from '../bridge/DesktopBridge.js';
import { useAlertSignals } from '../hooks/useAlertSignals.js';
import { useDashboardPages } from '../hooks/useDashboardPages.js';
import { useIdleCursor } from '../hooks/useIdleCursor.js';
import { useStore } from '../hooks/useStore.js';
import { AlertPrefs } from '../live/AlertPrefs.js';
import { firingList } from '../live/alertsReducer.js';
import type { PushClient } from '../live/PushClient.js';
import type { ViewOptions } from '../live/viewOptions.js';
import { connectLastProfile, targetOf } from '../lastProfile.js';
import { ClusterPane } from './ClusterPane.js';
import { ConnectDialog } from './ConnectDialog.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { Dashboard } from './Dashboard.js';
import { DASHBOARD_PANEL_ID, DashboardTabs, dashboardTabId } from './DashboardTabs.js';
import { Header } from './Header.js';
import { KioskContext } from './kioskContext.js';
import { AlertStrip } from './alerts/AlertStrip.js';
import './kiosk.css';

export type Theme = 'dark' | 'light';
const THEME_KEY = 'opsdeck.theme';

// The profile -> target mapping lives beside the start-up connection (main.tsx uses it before React).
export { targetOf };

export interface AppProps {
  client: PushClient;
  bridge: DesktopBridge;
  /** From the URL: `?kiosk`, `&rotate=`, `?dashboard=` (see live/viewOptions.ts). */
  view?: ViewOptions;
  /**
   * Whether App connects to the last used profile when it mounts (the default). main.tsx passes
   * false: it has connected already, before React was loaded (lastProfile.ts).
   */
  connectAtStart?: boolean;
}

const NORMAL: ViewOptions = { kiosk: false };

/**
 * The console: header, connection banner, alert strip, dashboard tabs, dashboard, cluster pane,
 * connect dialog (Ctrl/Cmd+K). In TV mode (`?kiosk`) none of the chrome: no header, no buttons, no
 * dialog; the banner and the alerts stay, since staleness and alerts are what the screen is for.
 */
export function App({ client, bridge, view = NORMAL, connectAtStart = true }: AppProps) {
  const { kiosk } = view;
  const [theme, setTheme] = useState<Theme>(() =>
    localStorage.getItem(THEME_KEY) === 'light' ? 'light' : 'dark',
  );
  const [dialogOpen, setDialogOpen] = useState(false);
  const [prefs] = useState(() => new AlertPrefs(window.localStorage));
  useAlertSignals(client, prefs);
  useIdleCursor(kiosk);
  const pages = useDashboardPages(client, view);
  const alerts = useStore(client.alerts);
  const alertCounts: Record<string, { count: number; severity: AlertSeverity }> = {};
  // Most severe first (firingList), so the first alert of a page names its badge's severity.
  for (const { event } of firingList(alerts)) {
    for (const { id, sections } of pages.pages) {
      if (id === undefined || !sections?.includes(event.section)) continue;
      const held = alertCounts[id];
      alertCounts[id] = {
        count: (held?.count ?? 0) + 1,
        severity: held?.severity ?? event.severity,
      };
    }
  }
  const showCluster = pages.current.sections?.includes('$cluster') ?? true;

  useEffect(() => {
    if (kiosk) document.documentElement.dataset.kiosk = 'true';
    else delete document.documentElement.dataset.kiosk;
  }, [kiosk]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);

  // Connect to the last used profile (or the built-in entry) at start, unless main.tsx has.
  useEffect(() => {
    if (!connectAtStart) return;
    const effect = { cancelled: false };
    void connectLastProfile(bridge, client, () => effect.cancelled);
    return () => {
      effect.cancelled = true;
    };
  }, [bridge, client, connectAtStart]);

  useEffect(() => {
    if (kiosk) return; // nothing that asks a question
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setDialogOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [kiosk]);

  const connectTo = useCallback(
    (profile: Profile) => {
      void bridge.setActiveProfileId(profile.id);
      client.connect(targetOf(profile));
      setDialogOpen(false);
    },
    [bridge, client],
  );

  return (
    <div className={kiosk ? 'app app--kiosk' : 'app'}>
      {!kiosk && (
        <Header
          client={client}
          theme={theme}
          onToggleTheme={() => setTheme((t) => (t === 'dark' ? 'light' : 'dark'))}
          onOpenConnect={() => setDialogOpen(true)}
        />
      )}
      <ConnectionBanner client={client} onFixToken={() => setDialogOpen(true)} kiosk={kiosk} />
      <AlertStrip client={client} prefs={prefs} kiosk={kiosk} />
      <DashboardTabs
        pages={pages.pages}
        current={pages.current}
        onSelect={pages.select}
        kiosk={kiosk}
        alertCounts={alertCounts}
      />
      <main className="content" data-dashboard={pages.current.id ?? 'all'}>
        {/* TV mode has no header: the page's heading opens <main> (inside a landmark, axe). */}
        {kiosk && <h1 className="sr-only">Opsdeck: {pages.current.title}</h1>}
        {/* The tabs' panel inside <main>, so the page keeps its main landmark. */}
        <div
          className="content-panel"
          {...(pages.pages.length > 0 && !kiosk
            ? {
                role: 'tabpanel',
                id: DASHBOARD_PANEL_ID,
                'aria-labelledby': dashboardTabId(pages.current),
              }
            : {})}
        >
          <KioskContext.Provider value={kiosk}>
            <Dashboard client={client} prefs={prefs} sectionIds={pages.current.sections} />
          </KioskContext.Provider>
          {showCluster && <ClusterPane client={client} />}
        </div>
      </main>
      {!kiosk && dialogOpen && (
        <ConnectDialog
          bridge={bridge}
          client={client}
          onClose={() => setDialogOpen(false)}
          onConnect={connectTo}
        />
      )}
    </div>
  );
}
