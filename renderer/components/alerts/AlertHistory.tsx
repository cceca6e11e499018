import type { AlertHistoryEntry } from '../../live/alertsReducer.js';
import { formatFullDate, formatTime } from '../../format/format.js';
import { SEVERITY_LABEL, SeverityIcon } from './SeverityIcon.js';

function outcome(entry: AlertHistoryEntry): string {
  if (entry.outcome === 'lost') return 'not resent after reconnect (state unknown)';
  return entry.event.state === 'firing' ? 'fired' : 'resolved';
}

/** The last alerts' state changes, newest first (a panel under the strip). */
export function AlertHistory({ history }: { history: AlertHistoryEntry[] }) {
  return (
    <div className="alert-history" id="alert-history" data-testid="alert-history">
      <h2 className="alert-history-title">Recent alerts</h2>
      {history.length === 0 ? (
        <p className="alert-history-empty">Nothing has fired since this page opened.</p>
      ) : (
        <ol className="alert-history-list">
          {history.map((entry) => (
            <li
              key={`${entry.event.id}|${entry.event.since}|${entry.event.state}|${entry.outcome ?? ''}`}
              className={`alert-history-item alert--${entry.event.severity}`}
            >
              <time dateTime={entry.event.since} title={formatFullDate(entry.event.since)}>
                {formatTime(entry.event.since)}
              </time>
              <span className="alert-severity">
                <SeverityIcon severity={entry.event.severity} />
                {SEVERITY_LABEL[entry.event.severity]}
              </span>
              <span className="alert-history-what">
                {entry.event.id} {outcome(entry)}: {entry.event.message}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
