import type { SectionUpdate, ServerInfo } from '../../../common/protocol.js';
import { formatFullDate, formatNumber } from '../../format/format.js';

/** Where a section's numbers come from, as a description list. */
export function InspectFacts({
  update,
  server,
}: {
  update: SectionUpdate;
  server: ServerInfo | undefined;
}) {
  const rows = update.rows.length;
  return (
    <dl className="inspect-facts" data-testid="inspect-facts">
      <dt>Version</dt>
      <dd data-fact="version">{update.version}</dd>
      <dt>Hash</dt>
      <dd data-fact="hash">
        {update.hash !== undefined ? (
          <code className="inspect-hash">{update.hash}</code>
        ) : (
          'not sent by this server'
        )}
      </dd>
      <dt>Changed</dt>
      <dd data-fact="changedAt">
        <time dateTime={update.changedAt}>{formatFullDate(update.changedAt)}</time>{' '}
        <span className="inspect-iso">{update.changedAt}</span>
      </dd>
      <dt>Queried</dt>
      <dd data-fact="queriedAt">
        <time dateTime={update.queriedAt}>{formatFullDate(update.queriedAt)}</time>{' '}
        <span className="inspect-iso">{update.queriedAt}</span>
      </dd>
      <dt>Served by node</dt>
      <dd data-fact="node">
        {server ? (
          <>
            <code>{server.nodeId}</code>
            {server.clusterSize > 1 ? ` (one of ${server.clusterSize})` : ''}
          </>
        ) : (
          'unknown'
        )}
      </dd>
      <dt>Rows</dt>
      <dd data-fact="rows">
        {formatNumber(rows)} {rows === 1 ? 'row' : 'rows'}
      </dd>
      <dt>Truncated</dt>
      <dd data-fact="truncated">
        {update.truncated
          ? 'Yes: the query returned more rows than the server’s row cap (database.maxRows); these are the first ones.'
          : 'No: these are all the rows the query returned.'}
      </dd>
    </dl>
  );
}
