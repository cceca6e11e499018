/**
 * The `clients` event on one server (no cluster): validation, the page size cap, its rate limit,
 * the User-Agent kept (cut and printable), tokens never listed. Over real sockets, in-process.
 * The list across nodes is test/cluster/clients.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS_MAX_PAGE_SIZE, USER_AGENT_MAX_LENGTH } from '../common/clients.js';
import type { ClientsAck } from '../common/protocol.js';
import { connect, request } from './helpers/client.js';
import { ControlledSection } from './support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from './support/inProcessServer.js';

const TOKEN = 'single-node-clients-token';

describe('clients on one server', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcessServer({
      sections: [new ControlledSection('kpis')],
      tokens: [TOKEN],
    });
  });

  afterAll(() => server.close());

  it('lists this node alone, with no payload at all', async () => {
    const socket = await server.client({ token: TOKEN });
    await request(socket, 'subscribe', { sections: ['kpis', '$cluster'] });
    const ack = await request<ClientsAck>(socket, 'clients');
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.complete).toBe(true);
    expect(ack.nodes).toHaveLength(1);
    const me = ack.clients.find((c) => c.id === socket.id);
    expect(me?.sections).toEqual(['$cluster', 'kpis']);
    expect(me?.nodeId).toBe(ack.nodes[0]?.nodeId);
    expect(JSON.stringify(ack)).not.toContain(TOKEN);
  });

  it('needs the token, like every event: no token, no connection', async () => {
    await expect(connect(server.url)).rejects.toThrow('unauthorized');
  });

  it('answers malformed requests with bad_request and keeps serving', async () => {
    const socket = await server.client({ token: TOKEN });
    const bad: unknown[] = [{ page: 0 }, { pageSize: 'all' }, { node: '' }, { admin: true }, 'x'];
    for (const payload of bad) {
      const ack = await request<ClientsAck>(socket, 'clients', payload);
      expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expect(await request<ClientsAck>(socket, 'clients', { page: 2 })).toMatchObject({ ok: true });
  });

  it('cuts a page size over the cap, and says so', async () => {
    const socket = await server.client({ token: TOKEN });
    const ack = await request<ClientsAck>(socket, 'clients', { pageSize: 100_000 });
    expect(ack).toMatchObject({ ok: true, pageSize: CLIENTS_MAX_PAGE_SIZE });
  });

  it('holds each socket to a few lists at once, then one a second', async () => {
    const socket = await server.client({ token: TOKEN });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => request<ClientsAck>(socket, 'clients')),
    );
    const limited = answers.filter((a) => !a.ok && a.error.code === 'rate_limited');
    // Five at once; a sixth only if a second passed while the eight were on their way.
    expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(5);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    // Another socket is not held by this one's limit.
    const other = await server.client({ token: TOKEN });
    expect(await request<ClientsAck>(other, 'clients')).toMatchObject({ ok: true });
  });

  it('keeps the User-Agent printable and cut to its maximum', async () => {
    const agent = `Agent\twith a tab ${'x'.repeat(400)}`;
    const socket = await server.client({ token: TOKEN, extraHeaders: { 'user-agent': agent } });
    const ack = await request<ClientsAck>(socket, 'clients', { pageSize: CLIENTS_MAX_PAGE_SIZE });
    if (!ack.ok) throw new Error(ack.error.message);
    const listed = ack.clients.find((c) => c.id === socket.id)?.userAgent;
    expect(listed).toHaveLength(USER_AGENT_MAX_LENGTH);
    expect(listed?.startsWith('Agent with a tab x')).toBe(true);
  });
});
