/**
 * The main process's connection probe against real sockets: a closed port, a host name that does
 * not exist, PostgreSQL and MariaDB (not HTTP), TCP servers that greet or stay silent, a TLS server
 * with a self-signed certificate, plain HTTP servers that are and are not Opsdeck-like.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverProbeSchema } from '../../common/serverProbe.js';
import { probeServer } from './probeServer.js';
import { selfSignedCert } from '../../test/helpers/selfSignedCert.js';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-probe-'));
const servers: (Server | HttpServer | HttpsServer)[] = [];
const sockets = new Set<Socket>();

async function listen(server: Server | HttpServer | HttpsServer): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

let tlsPort: number;
let plainPort: number;
let healthyPort: number;
let chunkedPort: number;

beforeAll(async () => {
  const tlsServer = createHttpsServer(selfSignedCert(dir), (_req, res) => res.end('{"ok":true}'));
  tlsPort = await listen(tlsServer);
  plainPort = await listen(
    createHttpServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html', Server: 'nginx/1.24.0' });
      res.end('<h1>Not Found</h1>');
    }),
  );
  healthyPort = await listen(
    createHttpServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: req.url === '/healthz' }));
    }),
  );
  chunkedPort = await listen(
    createHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"ok":');
      res.end('true}');
    }),
  );
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

async function probe(url: string, stepTimeoutMs?: number) {
  const result = await probeServer(url, stepTimeoutMs ? { stepTimeoutMs } : {});
  // Whatever it finds is a valid IPC answer.
  expect(serverProbeSchema.safeParse(result).success).toBe(true);
  return result;
}

describe('probeServer', () => {
  it('says connection refused for a closed port', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await probe(`http://127.0.0.1:${port}`)).toMatchObject({
      outcome: 'refused',
      stage: 'tcp',
      code: 'ECONNREFUSED',
      host: '127.0.0.1',
      port,
      address: '127.0.0.1',
    });
  });

  it('says the host name was not found', async () => {
    const result = await probe('http://no-such-host.invalid:3001');
    expect(result).toMatchObject({ outcome: 'dns_failed', stage: 'dns', port: 3001 });
    // ENOTFOUND where a resolver answers; EAI_AGAIN where none can be asked.
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(result.code);
    expect(result.address).toBeUndefined();
  });

  it('tells PostgreSQL on 5432 from an HTTP server: it closes without an HTTP answer', async () => {
    expect(await probe('http://127.0.0.1:5432')).toMatchObject({
      outcome: 'not_http',
      stage: 'http',
      detail: 'closed the connection without answering',
    });
  });

  it('shows what a service that greets first says (MariaDB on 3306)', async () => {
    const result = await probe('http://127.0.0.1:3306');
    expect(result).toMatchObject({ outcome: 'not_http', stage: 'http' });
    expect(result.detail).toMatch(/MariaDB|mysql/i);
  });

  it('reads a TCP banner, and times out on a silent service', async () => {
    const banner = await listen(createTcpServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n')));
    expect(await probe(`http://127.0.0.1:${banner}`)).toMatchObject({
      outcome: 'not_http',
      detail: 'SSH-2.0-OpenSSH_9.2',
    });
    const silent = await listen(createTcpServer(() => undefined));
    const started = Date.now();
    expect(await probe(`http://127.0.0.1:${silent}`, 300)).toMatchObject({
      outcome: 'timeout',
      stage: 'http',
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('names the certificate problem of a self-signed TLS server', async () => {
    expect(await probe(`https://127.0.0.1:${tlsPort}`)).toMatchObject({
      outcome: 'tls_failed',
      stage: 'tls',
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('says when an https URL points at a plain HTTP port, and the other way round', async () => {
    expect(await probe(`https://127.0.0.1:${plainPort}`)).toMatchObject({
      outcome: 'tls_failed',
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
    });
    const plainAtTls = await probe(`http://127.0.0.1:${tlsPort}`);
    // Node's TLS server answers a plain request with an HTTP 400 (or a TLS alert, elsewhere).
    expect(['http_not_opsdeck', 'not_http']).toContain(plainAtTls.outcome);
  });

  it('tells a web server that is not Opsdeck from one whose /healthz is', async () => {
    expect(await probe(`http://127.0.0.1:${plainPort}`)).toMatchObject({
      outcome: 'http_not_opsdeck',
      stage: 'http',
      httpStatus: 404,
      server: 'nginx/1.24.0',
    });
    expect(await probe(`http://127.0.0.1:${healthyPort}`)).toMatchObject({
      outcome: 'opsdeck',
      httpStatus: 200,
    });
    expect(await probe(`http://localhost:${chunkedPort}`)).toMatchObject({
      outcome: 'opsdeck',
      host: 'localhost',
    });
  });

  it('refuses what is not an http(s) URL without any network', async () => {
    expect(await probe('ftp://127.0.0.1:21')).toMatchObject({ outcome: 'error' });
  });
});
