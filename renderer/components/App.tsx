import { useCallback, useEffect, useState } from 'react';
import type { DesktopBridge, Profile } from '../bridge/DesktopBridge.js';
import { useAlertSignals } from '../hooks/useAlertSignals.js';
import { AlertPrefs } from '../live/AlertPrefs.js';
import type { PushClient } from '../live/PushClient.js';
import type { ConnectTarget } from '../live/state.js';
import { ClusterPane } from './ClusterPane.js';
import { ConnectDialog } from './ConnectDialog.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { Dashboard } from './Dashboard.js';
import { Header } from './Header.js';
import { AlertStrip } from './alerts/AlertStrip.js';

export type Theme = 'dark' | 'light';
const THEME_KEY = 'opsdeck.theme';

/** A profile as a connection target (its first URL; cluster failover comes with the desktop app). */
export function targetOf(profile: Profile): ConnectTarget {
  return {
    id: profile.id,
    name: profile.name,
    url: profile.urls[0] ?? '',
    ...(profile.token ? { token: profile.token } : {}),
  };
}

export interface AppProps {
  client: PushClient;
  bridge: DesktopBridge;
}

/** The console: header, connection banner, dashboard, cluster pane, connect dialog (Ctrl/Cmd+K). */
export function App({ client, bridge }: AppProps) {
  const [theme, setTheme] = useState<Theme>(() =>
    localStorage.getItem(THEME_KEY) === 'light' ? 'light' : 'dark',
  );
  const [dialogOpen, setDialogOpen] = useState(false);
  const [prefs] = useState(() => new AlertPrefs(window.localStorage));
  useAlertSignals(client, prefs);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);

  // Connect to the last used profile (or the built-in entry) at start.
  useEffect(() => {
    const effect = { cancelled: false };
    void (async () => {
      const [profiles, activeId] = await Promise.all([
        bridge.listProfiles(),
        bridge.getActiveProfileId(),
      ]);
      const profile = profiles.find((p) => p.id === activeId) ?? profiles[0];
      if (!effect.cancelled && profile) client.connect(targetOf(profile));
    })();
    return () => {
      effect.cancelled = true;
    };
  }, [bridge, client]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setDialogOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const connectTo = useCallback(
    (profile: Profile) => {
      void bridge.setActiveProfileId(profile.id);
      client.connect(targetOf(profile));
      setDialogOpen(false);
    },
    [bridge, client],
  );

  return (
    <div className="app">
      <Header
        client={client}
        theme={theme}
        onToggleTheme={() => setTheme((t) => (t === 'dark' ? 'light' : 'dark'))}
        onOpenConnect={() => setDialogOpen(true)}
      />
      <ConnectionBanner client={client} onFixToken={() => setDialogOpen(true)} />
      <AlertStrip client={client} prefs={prefs} />
      <main className="content">
        <Dashboard client={client} prefs={prefs} />
        <ClusterPane client={client} />
      </main>
      {dialogOpen && (
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
