/**
 * The connect dialog's "Test connection" against real servers over real sockets: an `opsdeck demo`
 * with a token, a closed port, a plain HTTP server, a TCP server that never answers.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOpsdeck, type OpsdeckProcess } from '../../test/helpers/opsdeckProcess.js';
import { selfSignedCert } from '../../test/helpers/selfSignedCert.js';
import { checkServerUrl } from './checkServerUrl.js';
import { testConnection } from './testConnection.js';

const TOKEN = 'right-token-123';
let opsdeck: OpsdeckProcess;
let plain: HttpServer;
let silent: TcpServer;
const silentSockets = new Set<Socket>();

function urlOf(server: HttpServer | TcpServer): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  opsdeck = await startOpsdeck(['demo', '--port', '0', '--rate', '0', '--token', TOKEN]);
  plain = createHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('hello from something else\n');
  });
  silent = createTcpServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await Promise.all([
    new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve)),
  ]);
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  plain.closeAllConnections();
  await Promise.all([
    opsdeck.stop(),
    new Promise((resolve) => plain.close(resolve)),
    new Promise((resolve) => silent.close(resolve)),
  ]);
});

describe('testConnection', () => {
  it('reports the server, its nodes and sections, and the round trip', async () => {
    const result = await testConnection({ url: `${opsdeck.url}/`, token: TOKEN });
    expect(result).toMatchObject({
      ok: true,
      url: opsdeck.url,
      serverName: 'opsdeck',
      nodes: 1,
      sections: 4,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.nodeId).toEqual(expect.any(String));
    expect(result.rttMs).toBeGreaterThanOrEqual(0);
    expect(result.rttMs).toBeLessThan(1000);
  });

  it('says when the token is wrong, and when it is missing', async () => {
    const wrong = await testConnection({ url: opsdeck.url, token: 'wrong-token' });
    expect(wrong).toMatchObject({ ok: false, kind: 'unauthorized', token: 'refused' });
    if (!wrong.ok) expect(wrong.message).toMatch(/is an Opsdeck server, but it refused the token/);
    const missing = await testConnection({ url: opsdeck.url });
    expect(missing).toMatchObject({ ok: false, kind: 'unauthorized', token: 'missing' });
    if (!missing.ok) expect(missing.message).toMatch(/is an Opsdeck server that needs a token/);
  });

  it('says when nothing listens', async () => {
    const result = await testConnection({ url: 'http://127.0.0.1:1' });
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    if (!result.ok) expect(result.message).toContain('http://127.0.0.1:1 cannot be reached');
  });

  it('says connection refused where the runtime tells (Node; browsers do not)', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = urlOf(closed);
    await new Promise((resolve) => closed.close(resolve));
    const result = await testConnection({ url });
    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    if (!result.ok)
      expect(result.message).toMatch(
        /^Nothing is listening on 127\.0\.0\.1:\d+: the connection was refused/,
      );
  });

  it('tells an HTTP server that is not Opsdeck from one that is down', async () => {
    const result = await testConnection({ url: urlOf(plain), token: TOKEN });
    expect(result).toMatchObject({ ok: false, kind: 'not_opsdeck' });
    if (!result.ok) {
      expect(result.message).toMatch(/is a web server, but not an Opsdeck server/);
      expect(result.message).toMatch(/GET \/healthz answered 200 without Opsdeck’s \{"ok":true\}/);
      expect(result.message).toMatch(/no Opsdeck Socket\.IO endpoint/);
    }
  });

  it('says the host name was not found where the runtime tells (Node)', async () => {
    const result = await testConnection({ url: 'http://no-such-host.invalid:3001' });
    expect(result).toMatchObject({ ok: false, kind: 'host_not_found' });
    if (!result.ok) expect(result.message).toMatch(/“no-such-host\.invalid”/);
  });

  it('names the TLS problem where the runtime exposes it (Node, Electron main)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-tls-'));
    const tls = createHttpsServer(selfSignedCert(dir), (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const result = await testConnection({
        url: `https://127.0.0.1:${(tls.address() as AddressInfo).port}`,
      });
      expect(result).toMatchObject({ ok: false, kind: 'tls' });
      if (!result.ok) expect(result.message).toMatch(/certificate is self-signed/);
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['ftp://example.com', /Only http:\/\/ and https:\/\//],
    ['not a url', /is not a URL/],
    ['localhost:3001', /Did you mean http:\/\/localhost:3001\?/],
    ['ops.example.com', /is not a URL/],
    ['http://host:3001/some/path', /without a path/],
    ['', /Enter the server URL/],
  ])('refuses the URL %j without any network', async (url, message) => {
    const result = await testConnection({ url });
    expect(result).toMatchObject({ ok: false, kind: 'invalid_url' });
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('gives up after timeoutMs when the server accepts and never answers', async () => {
    const started = Date.now();
    const result = await testConnection({ url: urlOf(silent) }, { timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, kind: 'timeout' });
    if (!result.ok) expect(result.message).toMatch(/did not answer within 0\.3 s/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops at once when cancelled, and closes its Socket.IO connection', async () => {
    // Answers HTTP, then holds WebSocket upgrades forever: the test is cancelled while connecting.
    const held = new Set<Socket>();
    const stall = createHttpServer((_req, res) => res.end('ok'));
    stall.on('upgrade', (_req, socket: Socket) => {
      held.add(socket);
      socket.on('close', () => held.delete(socket));
      // Read, so that the client's close is noticed (HTTP server sockets allow half-open).
      socket.on('end', () => socket.destroy());
      socket.resume();
    });
    await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
    try {
      const controller = new AbortController();
      const running = testConnection(
        { url: urlOf(stall) },
        { signal: controller.signal, timeoutMs: 10_000 },
      );
      await vi.waitFor(() => expect(held.size).toBe(1), { timeout: 2000, interval: 10 });
      const started = Date.now();
      controller.abort();
      expect(await running).toEqual({
        ok: false,
        kind: 'cancelled',
        message: 'Stopped before the server answered.',
      });
      expect(Date.now() - started).toBeLessThan(500);
      await vi.waitFor(() => expect(held.size).toBe(0), { timeout: 2000, interval: 10 });
    } finally {
      for (const socket of held) socket.destroy();
      stall.closeAllConnections();
      await new Promise((resolve) => stall.close(resolve));
    }
  });

  it('can be cancelled while the server is silent', async () => {
    const controller = new AbortController();
    const running = testConnection(
      { url: urlOf(silent) },
      { signal: controller.signal, timeoutMs: 10_000 },
    );
    await vi.waitFor(() => expect(silentSockets.size).toBeGreaterThan(0), {
      timeout: 2000,
      interval: 10,
    });
    controller.abort();
    expect(await running).toMatchObject({ ok: false, kind: 'cancelled' });
  });

  it('is cancelled before it starts when the signal is already aborted', async () => {
    const result = await testConnection(
      { url: opsdeck.url, token: TOKEN },
      { signal: AbortSignal.abort() },
    );
    expect(result).toMatchObject({ ok: false, kind: 'cancelled' });
  });

  it('closes the socket it opened', async () => {
    let closed = 0;
    const { io } = await import('socket.io-client');
    const result = await testConnection(
      { url: opsdeck.url, token: TOKEN },
      {
        socketFactory: (url, opts) => {
          const socket = io(url, opts);
          const close = socket.close.bind(socket);
          socket.close = () => {
            closed++;
            return close();
          };
          return socket;
        },
      },
    );
    expect(result.ok).toBe(true);
    expect(closed).toBe(1);
  });
});

describe('checkServerUrl', () => {
  it('canonicalizes to scheme://host:port', () => {
    expect(checkServerUrl(' https://Ops.Example.com:8443/ ')).toEqual({
      ok: true,
      url: 'https://ops.example.com:8443',
    });
    expect(checkServerUrl('http://[::1]:3001')).toEqual({ ok: true, url: 'http://[::1]:3001' });
    expect(checkServerUrl('https://ops.example.com:443')).toEqual({
      ok: true,
      url: 'https://ops.example.com',
    });
  });

  it('refuses credentials, queries and websocket schemes with a hint', () => {
    expect(checkServerUrl('http://user:pw@host')).toMatchObject({
      ok: false,
      message: /token field/,
    });
    expect(checkServerUrl('http://host/?x=1')).toMatchObject({
      ok: false,
      message: /without a path/,
    });
    expect(checkServerUrl('wss://host')).toMatchObject({
      ok: false,
      message: /Use https:\/\/ instead/,
    });
  });
});
