import { useId } from 'react';
import type { ClientInfo } from '../../../common/clients.js';
import { formatDuration, formatFullDate, formatNumber, formatTime } from '../../format/format.js';
import { useNow } from '../../hooks/useNow.js';
import { shortUserAgent } from './shortUserAgent.js';
import { useClientsPage, type ClientsLister } from './useClientsPage.js';
import './clients.css';

const PAGE_SIZE = 10;

function ClientRow({ client, now }: { client: ClientInfo; now: number }) {
  const since = Date.parse(client.connectedAt);
  return (
    <tr data-testid="client-row" data-client-id={client.id}>
      <td className="client-address">{client.address}</td>
      <td className="client-agent" title={client.userAgent || undefined}>
        {shortUserAgent(client.userAgent)}
      </td>
      <td>{client.transport}</td>
      <td className="client-sections">
        {client.sections.length > 0 ? client.sections.join(', ') : <span>none</span>}
      </td>
      <td title={formatFullDate(since)}>
        {formatTime(since, undefined, now)}
        <span className="client-age"> ({formatDuration(now - since)})</span>
      </td>
    </tr>
  );
}

/**
 * The clients of one node, from the server (the `clients` event): address, user agent in a few
 * words (all of it on hover), transport, sections, connected since. Paged, refreshed on demand;
 * it says when it was listed, when it is incomplete or failed, and when the console is
 * disconnected, so an old list never passes for the current one.
 */
export function ClientsList({
  nodeId,
  list,
  connected,
}: {
  nodeId: string;
  list: ClientsLister;
  connected: boolean;
}) {
  const { state, page, setPage, refresh } = useClientsPage(list, nodeId, PAGE_SIZE);
  const now = useNow(5000);
  const captionId = useId();
  const body = state.body;
  const total = body?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, page * PAGE_SIZE);
  const stale = !connected || state.error !== undefined;

  return (
    <div
      className={`clients${stale ? ' is-stale' : ''}`}
      data-testid="clients-list"
      data-stale={stale ? 'true' : 'false'}
      aria-busy={state.loading}
    >
      <div className="clients-bar">
        <span className="clients-when" id={captionId}>
          {body && state.listedAt !== undefined
            ? `${formatNumber(total)} ${total === 1 ? 'client' : 'clients'} · listed at ${formatTime(state.listedAt, undefined, now)}`
            : state.loading
              ? 'Listing clients…'
              : 'Not listed yet'}
        </span>
        {!connected && <span className="chip chip--warn">disconnected: as listed then</span>}
        {body && !body.complete && (
          <span className="chip chip--warn" title="A node did not answer in time">
            incomplete: a node did not answer
          </span>
        )}
        <span className="clients-actions">
          <button
            type="button"
            className="btn btn--quiet"
            onClick={() => setPage(Math.max(1, page - 1))}
            disabled={page <= 1 || state.loading}
          >
            Previous
          </button>
          <span className="clients-range" aria-live="polite">
            {total > 0 ? `${first}–${last} of ${formatNumber(total)}` : ''}
          </span>
          <button
            type="button"
            className="btn btn--quiet"
            onClick={() => setPage(page + 1)}
            disabled={page >= pages || state.loading}
          >
            Next
          </button>
          <button
            type="button"
            className="btn"
            onClick={refresh}
            disabled={state.loading || !connected}
          >
            {state.loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </span>
      </div>
      {state.error !== undefined && (
        <p className="clients-error" role="alert">
          Could not list the clients: {state.error}
          {body ? ' (showing the last list).' : '.'}
        </p>
      )}
      {body && body.clients.length > 0 && (
        <div className="clients-scroll">
          <table className="data-table clients-table" aria-labelledby={captionId}>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">User agent</th>
                <th scope="col">Transport</th>
                <th scope="col">Sections</th>
                <th scope="col">Connected since</th>
              </tr>
            </thead>
            <tbody>
              {body.clients.map((client) => (
                <ClientRow key={client.id} client={client} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {body && body.clients.length === 0 && (
        <p className="empty-note">
          {total === 0 ? 'No client is connected to this node.' : 'No clients on this page.'}
        </p>
      )}
    </div>
  );
}
