import type { AlertHistoryEntry } from '../../live/alertsReducer.js';
import { formatFullDate, formatTime } from '../../format/format.js';
import { historyWords } from './alertWords.js';
import { SEVERITY_LABEL, SeverityIcon } from './SeverityIcon.js';

/**
 * The last alerts' state changes, newest first (a panel under the strip). The panel scrolls, so
 * it is a named region in the tab order: keyboard users scroll it too.
 */
export function AlertHistory({
  history,
  titles,
}: {
  history: AlertHistoryEntry[];
  /** A section's title by id (the catalog's), if known. */
  titles: (section: string) => string | undefined;
}) {
  return (
    <div
      className="alert-history"
      id="alert-history"
      data-testid="alert-history"
      role="region"
      aria-labelledby="alert-history-title"
      tabIndex={0}
    >
      <h2 className="alert-history-title" id="alert-history-title">
        Recent alerts
      </h2>
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
              <span className="alert-history-what">{historyWords(entry)}</span>
              <span className="alert-meta">
                {titles(entry.event.section) ?? entry.event.section} · rule {entry.event.id}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
