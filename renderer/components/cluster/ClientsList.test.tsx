// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientInfo, ClientsBody, ClientsRequest } from '../../../common/clients.js';
import type { ClientsAck } from '../../../common/protocol.js';
import { ClientsList } from './ClientsList.js';

function client(i: number): ClientInfo {
  return {
    id: `s${i}`,
    nodeId: 'n1',
    address: `10.0.0.${i}`,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36',
    transport: 'websocket',
    sections: ['kpis'],
    connectedAt: new Date(Date.now() - 60_000).toISOString(),
  };
}

/** A server of `total` clients on node n1, answering pages of what it is asked. */
function server(total: number, extra: Partial<ClientsBody> = {}) {
  const asked: ClientsRequest[] = [];
  const list = (request: ClientsRequest): Promise<ClientsAck> => {
    asked.push(request);
    const page = request.page ?? 1;
    const size = request.pageSize ?? 50;
    const all = Array.from({ length: total }, (_, i) => client(i + 1));
    return Promise.resolve({
      ok: true,
      total,
      page,
      pageSize: size,
      nodes: [{ nodeId: 'n1', clients: total }],
      complete: true,
      clients: all.slice((page - 1) * size, page * size),
      ...extra,
    });
  };
  return { asked, list };
}

afterEach(cleanup);

describe('ClientsList', () => {
  it('shows a page of one node’s clients and pages on', async () => {
    const { asked, list } = server(13);
    render(<ClientsList nodeId="n1" list={list} connected />);
    await screen.findByText('1–10 of 13');
    expect(screen.getAllByTestId('client-row')).toHaveLength(10);
    expect(screen.getAllByText('Chrome 131 · Linux')).toHaveLength(10);
    expect(asked[0]).toEqual({ node: 'n1', page: 1, pageSize: 10 });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('11–13 of 13');
    expect(screen.getAllByTestId('client-row')).toHaveLength(3);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next' }).disabled).toBe(true);
  });

  it('says when the list is incomplete', async () => {
    const { list } = server(2, { complete: false });
    render(<ClientsList nodeId="n1" list={list} connected />);
    await screen.findByText('incomplete: a node did not answer');
  });

  it('shows a refusal in words over the last list, marked stale', async () => {
    const { list: good } = server(2);
    let fail = false;
    const list = (request: ClientsRequest): Promise<ClientsAck> =>
      fail
        ? Promise.resolve({
            ok: false,
            error: {
              code: 'rate_limited',
              message: 'too many clients lists; at most one a second',
            },
          })
        : good(request);
    render(<ClientsList nodeId="n1" list={list} connected />);
    await screen.findByText('1–2 of 2');
    fail = true;
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('too many clients lists; at most one a second');
    expect(alert.textContent).toContain('showing the last list');
    expect(screen.getAllByTestId('client-row')).toHaveLength(2);
    expect(screen.getByTestId('clients-list').dataset['stale']).toBe('true');
  });

  it('is stale and cannot refresh while disconnected', async () => {
    const { list } = server(1);
    render(<ClientsList nodeId="n1" list={list} connected={false} />);
    await screen.findByText('disconnected: as listed then');
    expect(screen.getByTestId('clients-list').dataset['stale']).toBe('true');
    await waitFor(() =>
      expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Refresh' }).disabled).toBe(
        true,
      ),
    );
  });

  it('says so when the node has no client', async () => {
    const { list } = server(0);
    render(<ClientsList nodeId="n1" list={list} connected />);
    await screen.findByText('No client is connected to this node.');
  });
});
