import { useState } from 'react';
import { useNow } from '../../hooks/useNow.js';
import { useStore } from '../../hooks/useStore.js';
import { firingList, type FiringAlert } from '../../live/alertsReducer.js';
import { type AlertPrefs } from '../../live/AlertPrefs.js';
import type { PushClient } from '../../live/PushClient.js';
import { formatFullDate, parseTime } from '../../format/format.js';
import { DisclosureButton } from '../DisclosureButton.js';
import { AlertHistory } from './AlertHistory.js';
import { firingFor, quietWords } from './alertWords.js';
import { SEVERITY_LABEL, SeverityIcon } from './SeverityIcon.js';
import './alerts.css';

const SNOOZES = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 60 * 60_000 },
] as const;

export interface AlertStripProps {
  client: PushClient;
  prefs: AlertPrefs;
  /** TV mode: full width, larger, no buttons (nothing that asks a question). */
  kiosk?: boolean;
}

function AlertItem({
  alert,
  sectionTitle,
  quietAs,
  stale,
  kiosk,
  prefs,
  serverNow,
}: {
  alert: FiringAlert;
  sectionTitle: string;
  /** Why it is quiet ("acknowledged", "snoozed until 3:45 PM"), if it is. */
  quietAs: string | undefined;
  stale: boolean;
  kiosk: boolean;
  prefs: AlertPrefs;
  serverNow: number;
}) {
  const { event } = alert;
  const quiet = quietAs !== undefined;
  const since = parseTime(event.since);
  const classes = ['alert', `alert--${event.severity}`];
  if (quiet) classes.push('is-quiet');
  if (stale) classes.push('is-stale');
  return (
    <li className={classes.join(' ')} data-testid={`alert-${event.id}`} data-quiet={quiet}>
      <span className="alert-severity">
        <SeverityIcon severity={event.severity} />
        {SEVERITY_LABEL[event.severity]}
      </span>
      <span className="alert-message">{event.message}</span>
      <span
        className="alert-meta"
        title={`Rule ${event.id}, firing since ${formatFullDate(event.since)}`}
      >
        {sectionTitle} ·{' '}
        {stale ? 'not confirmed — disconnected' : firingFor(Math.max(0, serverNow - since))}
        {quietAs !== undefined && !stale ? ` · ${quietAs}` : ''}
      </span>
      {!kiosk && !quiet && (
        <span className="alert-actions">
          <button type="button" className="btn btn--alert" onClick={() => prefs.acknowledge(event)}>
            Acknowledge
          </button>
          {SNOOZES.map((s) => (
            <button
              key={s.label}
              type="button"
              className="btn btn--alert btn--quiet"
              onClick={() => prefs.snooze(event, s.ms)}
              aria-label={`Snooze ${s.label}: ${event.id}`}
            >
              Snooze {s.label}
            </button>
          ))}
        </span>
      )}
    </li>
  );
}

/**
 * The firing alerts above the dashboard, most severe first: severity in colour, shape and words,
 * the message, the section and how long it has fired. Critical alerts are announced assertively
 * (role="alert"), the others politely (role="status"); acknowledged or snoozed ones stay listed,
 * quiet. Alerts held from before a disconnect are marked unconfirmed, never shown as live.
 */
export function AlertStrip({ client, prefs, kiosk = false }: AlertStripProps) {
  const alerts = useStore(client.alerts);
  const sections = useStore(client.sections);
  const connection = useStore(client.connection);
  const prefsState = useStore(prefs.store);
  const now = useNow(1000);
  const [historyOpen, setHistoryOpen] = useState(false);
  const firing = firingList(alerts);
  const live = connection.phase === 'connected';
  const hasRules = alerts.rules.length > 0 || firing.length > 0 || alerts.history.length > 0;
  if (!hasRules || (kiosk && firing.length === 0)) return null;

  const serverNow = now + connection.clockOffsetMs;
  const item = (alert: FiringAlert) => (
    <AlertItem
      key={alert.event.id}
      alert={alert}
      sectionTitle={sections.byId[alert.event.section]?.info.title ?? alert.event.section}
      quietAs={quietWords(prefsState, alert.event, now)}
      stale={!live || alert.unconfirmed === true}
      kiosk={kiosk}
      prefs={prefs}
      serverNow={serverNow}
    />
  );
  const critical = firing.filter((a) => a.event.severity === 'critical');
  const others = firing.filter((a) => a.event.severity !== 'critical');

  return (
    <section className={`alert-strip${kiosk ? ' alert-strip--kiosk' : ''}`} aria-label="Alerts">
      <div role="alert" aria-live="assertive">
        <ul className="alert-list">{critical.map(item)}</ul>
      </div>
      <div role="status" aria-live="polite">
        <ul className="alert-list">{others.map(item)}</ul>
      </div>
      {!kiosk && (
        <div className="alert-tools">
          <span className="alert-summary" data-testid="alert-summary">
            {firing.length === 0
              ? 'No alerts firing'
              : `${firing.length} alert${firing.length === 1 ? '' : 's'} firing`}
            {!live && firing.length > 0 ? ' (as of the last connection)' : ''}
          </span>
          <label className="alert-sound">
            <input
              type="checkbox"
              checked={prefsState.sound}
              onChange={(e) => prefs.setSound(e.target.checked)}
            />
            Sound
          </label>
          <DisclosureButton
            className="btn btn--alert btn--quiet"
            open={historyOpen}
            controls="alert-history"
            onToggle={() => setHistoryOpen((o) => !o)}
          >
            History ({alerts.history.length})
          </DisclosureButton>
        </div>
      )}
      {!kiosk && historyOpen && (
        <AlertHistory history={alerts.history} titles={(id) => sections.byId[id]?.info.title} />
      )}
    </section>
  );
}
