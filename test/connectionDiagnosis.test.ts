/**
 * The desktop app's "Test connection" as a whole, in Node: the renderer's testConnection with the
 * main process's probe (as the desktop bridge wires them), against real things on real sockets:
 * a closed port, a host name that does not exist, PostgreSQL, a plain web server, a self-signed
 * TLS server, and an `opsdeck demo` with a token (missing, wrong, right).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  connect as connectTcp,
  createServer as createTcpServer,
  type AddressInfo,
  type Socket,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeServer } from '../main/probe/probeServer.js';
import { testConnection } from '../renderer/live/testConnection.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { selfSignedCert } from './helpers/selfSignedCert.js';

const TOKEN = 'diagnosis-token-123';
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-diagnosis-'));
let opsdeck: OpsdeckProcess;
let web: Server;
let tls: Server;

const port = (server: { address(): unknown }) => (server.address() as AddressInfo).port;
const listen = (server: Server) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

async function test(url: string, token?: string) {
  return testConnection({ url, ...(token ? { token } : {}) }, { probeServer });
}

beforeAll(async () => {
  opsdeck = await startOpsdeck(['demo', '--port', '0', '--rate', '0', '--token', TOKEN]);
  web = createHttpServer((_req, res) => {
    res.writeHead(404, { Server: 'nginx/1.24.0', 'Content-Type': 'text/html' });
    res.end('<h1>404 Not Found</h1>');
  });
  tls = createHttpsServer(selfSignedCert(dir), (_q, r) => r.end('{"ok":true}'));
  await Promise.all([listen(web), listen(tls)]);
});

afterAll(async () => {
  web.closeAllConnections();
  tls.closeAllConnections();
  await Promise.all([
    opsdeck.stop(),
    new Promise((resolve) => web.close(resolve)),
    new Promise((resolve) => tls.close(resolve)),
  ]);
  rmSync(dir, { recursive: true, force: true });
});

describe('Test connection in the desktop app (renderer diagnosis + main-process probe)', () => {
  it('connection refused on a closed port', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${port(closed)}`;
    await new Promise((resolve) => closed.close(resolve));
    const result = await test(url);
    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    if (!result.ok) expect(result.message).toMatch(/^Nothing is listening on 127\.0\.0\.1:\d+/);
  });

  it('host name not found', async () => {
    const result = await test('http://no-such-host.invalid:3001');
    expect(result).toMatchObject({ ok: false, kind: 'host_not_found' });
    if (!result.ok) expect(result.message).toMatch(/“no-such-host\.invalid”/);
  });

  it('PostgreSQL on 5432: answered, but not HTTP, so not Opsdeck', async () => {
    const result = await test('http://127.0.0.1:5432', TOKEN);
    expect(result).toMatchObject({ ok: false, kind: 'not_opsdeck' });
    if (!result.ok) {
      expect(result.message).toMatch(
        /closed it without an HTTP answer: it is not a web server, so not Opsdeck/,
      );
      expect(result.message).toMatch(/Port 5432 is PostgreSQL's default port/);
    }
  });

  it('a web server that is not Opsdeck', async () => {
    const result = await test(`http://127.0.0.1:${port(web)}`);
    expect(result).toMatchObject({ ok: false, kind: 'not_opsdeck' });
    if (!result.ok) expect(result.message).toMatch(/GET \/healthz answered 404 Not Found/);
  });

  it('TLS: a self-signed certificate, and https on a plain HTTP port', async () => {
    const selfSigned = await test(`https://127.0.0.1:${port(tls)}`);
    expect(selfSigned).toMatchObject({ ok: false, kind: 'tls' });
    if (!selfSigned.ok) expect(selfSigned.message).toMatch(/its certificate is self-signed/);
    const plain = await test(`https://127.0.0.1:${port(web)}`);
    expect(plain).toMatchObject({ ok: false, kind: 'tls' });
    if (!plain.ok) expect(plain.message).toMatch(/does not speak TLS/);
  });

  it('a proxy whose /healthz is not Opsdeck but whose /socket.io/ is: the handshake decides', async () => {
    const upstreamPort = Number(new URL(opsdeck.url).port);
    const sockets = new Set<Socket>();
    const proxy = createHttpServer((_req, res) => {
      res.writeHead(404, { Server: 'proxy' });
      res.end('not here');
    });
    proxy.on('upgrade', (req, socket: Socket, head: Buffer) => {
      const upstream = connectTcp(upstreamPort, '127.0.0.1', () => {
        const headers: string[] = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`);
        }
        upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('')}\r\n`);
        upstream.write(head);
        socket.pipe(upstream).pipe(socket);
      });
      for (const s of [socket, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
    });
    await listen(proxy);
    try {
      const url = `http://127.0.0.1:${port(proxy)}`;
      expect(await test(url, TOKEN)).toMatchObject({ ok: true, serverName: 'opsdeck' });
      expect(await test(url, 'wrong-token')).toMatchObject({ kind: 'unauthorized' });
    } finally {
      for (const s of sockets) s.destroy();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('an Opsdeck server: token missing, token refused, then connected', async () => {
    expect(await test(opsdeck.url)).toMatchObject({ kind: 'unauthorized', token: 'missing' });
    expect(await test(opsdeck.url, 'wrong-token')).toMatchObject({
      kind: 'unauthorized',
      token: 'refused',
    });
    expect(await test(opsdeck.url, TOKEN)).toMatchObject({ ok: true, serverName: 'opsdeck' });
  });
});
