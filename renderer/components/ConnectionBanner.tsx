import { useEffect, useState } from 'react';
import { useStore } from '../hooks/useStore.js';
import type { PushClient } from '../live/PushClient.js';
import type { ConnectionState } from '../live/state.js';
import { formatDuration } from '../format/format.js';

/** How long the connection must be down before the banner shows: blips stay silent. */
export const BANNER_DELAY_MS = 1500;

export interface ConnectionBannerProps {
  client: PushClient;
  onFixToken: () => void;
  /** TV mode: no buttons, and a refused token is retried too. */
  kiosk?: boolean;
}

function hostOf(url: string | undefined): string {
  if (!url) return 'the server';
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Whether the banner is due: down long enough (unauthorized at once: it is not a blip). */
export function bannerDue(state: ConnectionState, now: number): boolean {
  if (state.phase === 'connected' || state.phase === 'idle') return false;
  if (state.phase === 'unauthorized') return true;
  const since = state.disconnectedSince ?? now;
  return now - since >= BANNER_DELAY_MS;
}

function nextTry(state: ConnectionState, now: number): string {
  if (state.nextRetryAt === undefined) return 'trying now…';
  const seconds = Math.max(0, Math.ceil((state.nextRetryAt - now) / 1000));
  return seconds === 0 ? 'trying now…' : `next try in ${seconds} s`;
}

function AlertIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14">
      <path d="M8 3.5v5.5" />
      <circle cx="8" cy="12" r="0.6" />
    </svg>
  );
}

function LockIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14">
      <rect x="3.5" y="7" width="9" height="6.5" rx="1.5" />
      <path d="M5.5 7V5.2a2.5 2.5 0 0 1 5 0V7" />
    </svg>
  );
}

/**
 * Says what is happening when the connection is down for more than ~1.5 s: reconnecting (attempt,
 * countdown, Retry now), unreachable (the same, and why), refused token (Fix token…, no retry),
 * server restarting. Never shown while connected.
 */
export function ConnectionBanner({ client, onFixToken, kiosk = false }: ConnectionBannerProps) {
  const state = useStore(client.connection);
  const [now, setNow] = useState(() => Date.now());
  const down = state.phase !== 'connected' && state.phase !== 'idle';

  useEffect(() => {
    if (!down) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [down]);

  if (!bannerDue(state, now)) return null;

  const { phase, target, attempt, lastError, serverShutdown } = state;
  const where = target ? `${target.name} (${hostOf(target.url)})` : 'the server';
  const downFor = state.disconnectedSince !== undefined ? now - state.disconnectedSince : 0;
  const retrying = phase === 'reconnecting' || phase === 'unreachable';
  const tone = phase === 'unauthorized' || phase === 'unreachable' ? 'danger' : 'warn';

  let title: string;
  let detail: string | undefined;
  if (phase === 'unauthorized') {
    title = target?.token ? 'The server refused the token' : 'The server needs a token';
    detail = kiosk
      ? `${where} did not accept the connection. Opsdeck keeps retrying. The data below is stale.`
      : `${where} did not accept the connection. Opsdeck will not retry until the token is fixed.`;
  } else if (serverShutdown && retrying) {
    title = 'The server is restarting';
    detail = `${where} closed the connection to restart or stop. Reconnecting automatically.`;
  } else if (phase === 'reconnecting') {
    title = 'Connection lost — reconnecting';
    detail = `No live connection to ${where} for ${formatDuration(downFor)}. The data below is stale.`;
  } else if (phase === 'unreachable') {
    title = `Cannot reach ${where}`;
    detail = lastError ? `Last error: ${lastError}.` : undefined;
  } else {
    title = `Still connecting to ${where}…`;
    detail = undefined;
  }

  return (
    <div
      className={`banner banner--${tone}`}
      role="alert"
      data-testid="connection-banner"
      data-phase={phase}
    >
      <span className="banner-icon" aria-hidden="true">
        {phase === 'unauthorized' ? <LockIcon /> : <AlertIcon />}
      </span>
      <div className="banner-text">
        <strong className="banner-title">{title}</strong>
        {detail && <span className="banner-detail">{detail}</span>}
        {retrying && (
          <span className="banner-retry" aria-live="off">
            Attempt {attempt} · <span className="banner-countdown">{nextTry(state, now)}</span>
            {phase === 'reconnecting' && lastError && !serverShutdown && (
              <span className="banner-error"> · {lastError}</span>
            )}
          </span>
        )}
      </div>
      {/* TV mode: nothing that asks a question; it reconnects by itself, forever. */}
      {!kiosk && (
        <div className="banner-actions">
          {retrying && (
            <button type="button" className="btn btn--banner" onClick={() => client.retryNow()}>
              Retry now
            </button>
          )}
          {phase === 'unauthorized' && (
            <button type="button" className="btn btn--banner" onClick={onFixToken}>
              Fix token…
            </button>
          )}
          {phase === 'unreachable' && (
            <button type="button" className="btn btn--banner btn--quiet" onClick={onFixToken}>
              Change server…
            </button>
          )}
        </div>
      )}
    </div>
  );
}
