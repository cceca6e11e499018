import { useStore } from '../hooks/useStore.js';
import type { PushClient } from '../live/PushClient.js';
import { formatNumber } from '../format/format.js';
import { PHASE_DISPLAY } from './connect/phaseDisplay.js';
import { serverHealth } from './serverHealth.js';

export interface HeaderProps {
  client: PushClient;
  theme: 'dark' | 'light';
  onToggleTheme: () => void;
  onOpenConnect: () => void;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function isMac(): boolean {
  const platform =
    (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ??
    navigator.platform;
  return /mac|iphone|ipad/i.test(platform);
}

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <rect width="32" height="32" rx="8" className="logo-bg" />
      <path
        d="M6 21.5l6-7 5 4 9-10.5"
        fill="none"
        className="logo-line"
        strokeWidth="3"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <circle cx="26" cy="8" r="2.4" className="logo-dot" />
    </svg>
  );
}

function ThemeIcon({ theme }: { theme: 'dark' | 'light' }) {
  // Shows what a click switches to.
  return theme === 'dark' ? (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" className="icon">
      <circle cx="12" cy="12" r="4.2" />
      <path d="M12 2.5v2.2M12 19.3v2.2M4.6 4.6l1.6 1.6M17.8 17.8l1.6 1.6M2.5 12h2.2M19.3 12h2.2M4.6 19.4l1.6-1.6M17.8 6.2l1.6-1.6" />
    </svg>
  ) : (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" className="icon">
      <path d="M20.5 14.2A8.5 8.5 0 1 1 9.8 3.5a6.8 6.8 0 0 0 10.7 10.7z" />
    </svg>
  );
}

/**
 * Product name, the connection always in view (state, server, round trip, nodes, version), the
 * connect dialog (Ctrl/Cmd+K) and the theme switch.
 */
export function Header({ client, theme, onToggleTheme, onOpenConnect }: HeaderProps) {
  const connection = useStore(client.connection);
  const sections = useStore(client.sections);
  const { phase, target, server, rttMs } = connection;
  const health = serverHealth(connection, sections);
  const { words, tone } = health.degraded
    ? { words: health.words, tone: 'warn' }
    : PHASE_DISPLAY[phase];
  const shortcut = isMac() ? '⌘K' : 'Ctrl+K';
  const connected = phase === 'connected';
  const nodes = server?.clusterSize;

  return (
    <header className="app-header">
      <div className="brand">
        <Logo />
        <h1 className="brand-name">Opsdeck</h1>
      </div>

      <div
        className="conn"
        data-testid="connection-status"
        data-phase={phase}
        data-health={health.degraded ? 'degraded' : undefined}
        aria-live="polite"
      >
        <span className={`conn-state conn-state--${tone}`} title={health.title}>
          <span className={`status-dot status-dot--${tone}`} aria-hidden="true" />
          {health.degraded ? (
            <span className="conn-words">
              <span className="conn-words-long">{words}</span>
              <span className="conn-words-short" aria-hidden="true">
                {health.short}
              </span>
            </span>
          ) : (
            <span className="conn-words">{words}</span>
          )}
        </span>
        {target && (
          <span className="conn-target" title={target.url}>
            <span className="conn-name">{target.name}</span>
            <span className="conn-host">{hostOf(target.url)}</span>
          </span>
        )}
        {server && (
          <span className="conn-facts">
            <span className="conn-fact" title="Round-trip time of the last ping">
              <span className="conn-fact-label">RTT</span>
              <span className="conn-fact-value">
                {connected && rttMs !== undefined ? `${formatNumber(Math.round(rttMs))} ms` : '—'}
              </span>
            </span>
            {nodes !== undefined && (
              <span className="conn-fact" title="Server processes in this cluster">
                <span className="conn-fact-value">{formatNumber(nodes)}</span>
                <span className="conn-fact-label">{nodes === 1 ? 'node' : 'nodes'}</span>
              </span>
            )}
            <span className="conn-fact conn-version" title={`${server.name} ${server.version}`}>
              <span className="conn-fact-label">v</span>
              <span className="conn-fact-value">{server.version}</span>
            </span>
          </span>
        )}
      </div>

      <div className="header-actions">
        <button
          type="button"
          className="btn btn--ghost btn--connect"
          onClick={onOpenConnect}
          // The accessible name is the visible label (WCAG 2.5.3); the shortcut is announced
          // through aria-keyshortcuts, so the key cap is hidden from the name.
          title={`Connect to a server (${shortcut})`}
          aria-keyshortcuts={isMac() ? 'Meta+K' : 'Control+K'}
        >
          <span>Connect…</span>
          <kbd className="kbd" aria-hidden="true">
            {shortcut}
          </kbd>
        </button>
        <button
          type="button"
          className="btn btn--icon"
          onClick={onToggleTheme}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        >
          <ThemeIcon theme={theme} />
        </button>
      </div>
    </header>
  );
}
