import { CHANGE_LOG_LIMIT, type ChangeLogEntry } from '../../live/changeLog.js';
import type { RowDiff } from '../../live/rowDiff.js';
import type { SectionUpdate } from '../../../common/protocol.js';
import { formatTime } from '../../format/format.js';
import { changeDetails } from './changeDetails.js';

/** The log's number columns after Time, in order (each row's cells below follow them). */
const NUMBER_COLUMNS = ['Version', 'Rows', 'Added', 'Removed', 'Changed'] as const;

function Count({ value, kind }: { value: number | undefined; kind: string }) {
  if (value === undefined) return <td className="num change-log-none">—</td>;
  return <td className={`num${value > 0 ? ` change-count--${kind}` : ''}`}>{value}</td>;
}

function DetailList({ title, lines, more }: { title: string; lines: string[]; more: number }) {
  if (lines.length === 0) return null;
  return (
    <div className="change-details-group">
      <h4 className="change-details-title">{title}</h4>
      <ul>
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
        {more > 0 && <li className="change-details-more">and {more} more</li>}
      </ul>
    </div>
  );
}

/**
 * A section's change log: what the version on screen changed, in words, then the last versions
 * the console received (time, version, rows, added, removed, changed), newest first.
 */
export function ChangeLogPanel({
  id,
  title,
  log,
  update,
  changes,
  locale,
}: {
  id: string;
  title: string;
  log: readonly ChangeLogEntry[];
  update: SectionUpdate | undefined;
  changes: RowDiff | undefined;
  locale?: string | undefined;
}) {
  const details = update && changes ? changeDetails(update, changes, locale) : undefined;
  const keyColumn = changes?.keyColumn;
  const missingKey =
    update !== undefined &&
    keyColumn !== undefined &&
    !update.columns.some((c) => c.name === keyColumn);
  const empty =
    details && details.added.length + details.removed.length + details.changed.length === 0;
  return (
    <div className="change-log" id={id} role="region" aria-label={`Change log: ${title}`}>
      {update && (
        <div className="change-details" data-testid="change-details">
          <h3 className="change-log-heading">Version {update.version} on screen</h3>
          {missingKey && (
            <p className="change-details-note" role="note" data-testid="change-key-missing">
              The section&apos;s key column &ldquo;{keyColumn}&rdquo; is not in its rows: rows are
              matched by their order.
            </p>
          )}
          {!details ? (
            <p className="change-details-note">The first version seen: nothing to compare with.</p>
          ) : empty ? (
            <p className="change-details-note" data-testid="change-order">
              {changes?.reordered
                ? 'Same rows as the version before, in another order.'
                : 'Same rows as the version before, in the same order: the server read them again.'}
            </p>
          ) : (
            <>
              <DetailList title="Added" lines={details.added} more={details.more.added} />
              <DetailList title="Removed" lines={details.removed} more={details.more.removed} />
              <DetailList title="Changed" lines={details.changed} more={details.more.changed} />
              {changes?.reordered && (
                <p className="change-details-note" data-testid="change-order">
                  The rows kept from the version before come in another order too.
                </p>
              )}
            </>
          )}
        </div>
      )}
      <div className="change-log-scroll" tabIndex={0} role="group" aria-label="Versions">
        <table className="data-table change-log-table" data-testid="change-log">
          <caption className="change-log-caption">
            Last {log.length} {log.length === 1 ? 'version' : 'versions'} received (at most{' '}
            {CHANGE_LOG_LIMIT} kept)
          </caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {NUMBER_COLUMNS.map((title) => (
                <th key={title} scope="col" className="num">
                  {title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {log.map((entry) => (
              <tr
                key={entry.version}
                data-version={entry.version}
                className={entry.version === update?.version ? 'change-log-current' : undefined}
                aria-current={entry.version === update?.version ? 'true' : undefined}
              >
                <td>
                  <time dateTime={entry.changedAt}>{formatTime(entry.changedAt, locale)}</time>
                </td>
                <td className="num id">
                  {entry.version === update?.version && (
                    <span className="change-log-shown">on screen</span>
                  )}{' '}
                  {entry.version}
                </td>
                <td className="num">{entry.rows}</td>
                <Count value={entry.added} kind="added" />
                <Count value={entry.removed} kind="removed" />
                <Count value={entry.changed} kind="changed" />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
