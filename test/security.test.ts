/**
 * Authentication, the Origin allow-list, TLS and the message size limit, through real `opsdeck`
 * processes and the stock socket.io-client (docs/config.md, docs/http.md, docs/socketio.md).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogAck, SectionUpdate, SubscribeAck } from '../common/protocol.js';
import { connect, request, waitFor, type TestSocket } from './helpers/client.js';
import {
  createItemsDatabase,
  ITEM_ROWS,
  ProcessPool,
  sqliteConfig,
} from './helpers/cliFixtures.js';
import { stackTraceLines, tempDir, type TempDir } from './helpers/cliFixtures.js';
import { runOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { selfSignedCert } from './helpers/selfSignedCert.js';
import { connectError, connectWith, httpGet } from './helpers/securityClient.js';

const TOKEN = `token-${randomBytes(12).toString('hex')}`;

const servers = new ProcessPool();
const sockets: TestSocket[] = [];
let dir: TempDir;

beforeAll(() => {
  dir = tempDir('opsdeck-security-');
  createItemsDatabase(dir.file('items.db'));
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await servers.stopAll();
  dir.remove();
});

/** Remembers a socket so that afterEach closes it. */
async function track(attempt: Promise<TestSocket>): Promise<TestSocket> {
  const socket = await attempt;
  sockets.push(socket);
  return socket;
}

async function catalogIds(socket: TestSocket): Promise<string[]> {
  const ack = await request<CatalogAck>(socket, 'catalog');
  if (!ack.ok) throw new Error(`catalog failed: ${ack.error.message}`);
  return ack.sections.map((s) => s.id);
}

async function unauthorizedMessage(attempt: Promise<TestSocket>): Promise<string> {
  return (await connectError(attempt)).message;
}

describe('tokens (serve, auth.tokens from ${OPSDECK_TEST_TOKEN})', () => {
  let server: OpsdeckProcess;

  beforeAll(async () => {
    const config = dir.write(
      'tokens.yml',
      sqliteConfig('sqlite:items.db', 'auth:\n  tokens: ["${OPSDECK_TEST_TOKEN}"]\n'),
    );
    server = await servers.start(['serve', '--config', config, '--port', '0'], {
      OPSDECK_TEST_TOKEN: TOKEN,
    });
  });

  it('a socket without a token, with a wrong one or a non-string one: connect_error "unauthorized"', async () => {
    const attempts: [string, Promise<TestSocket>][] = [
      ['no token', connect(server.url)],
      ['no token (polling)', connect(server.url, { transports: ['polling'] })],
      ['empty token', connect(server.url, { token: '' })],
      ['wrong token', connect(server.url, { token: 'wrong-token-value' })],
      ['token with a suffix', connect(server.url, { token: `${TOKEN}x` })],
      ['token prefix', connect(server.url, { token: TOKEN.slice(0, -1) })],
      ['number', connectWith(server.url, { auth: { token: 12345678 } })],
      ['array', connectWith(server.url, { auth: { token: [TOKEN] } })],
      ['object', connectWith(server.url, { auth: { token: { value: TOKEN } } })],
      ['null', connectWith(server.url, { auth: { token: null } })],
      ['auth under another key', connectWith(server.url, { auth: { password: TOKEN } })],
    ];
    const messages = await Promise.all(
      attempts.map(async ([what, attempt]) => [what, await unauthorizedMessage(attempt)]),
    );
    expect(Object.fromEntries(messages)).toEqual(
      Object.fromEntries(attempts.map(([what]) => [what, 'unauthorized'])),
    );
  });

  it('the right token connects; catalog and subscribe work', async () => {
    const socket = await track(connect(server.url, { token: TOKEN }));
    expect(await catalogIds(socket)).toEqual(['items', '$cluster']);
    const updates: SectionUpdate[] = [];
    socket.on('update', (u) => updates.push(u));
    const ack = await request<SubscribeAck>(socket, 'subscribe', { sections: ['items'] });
    expect(ack).toEqual({ ok: true, sections: ['items'] });
    const update = await waitFor('the items update', () =>
      updates.find((u) => u.section === 'items'),
    );
    expect(update.rows).toEqual(ITEM_ROWS);
  });

  it('GET /api/sections: 401 without or with a wrong bearer, 200 with the right one', async () => {
    const url = `${server.url}/api/sections`;
    const refused: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong-token-value' },
      { Authorization: `Bearer ${TOKEN}x` },
      { Authorization: `Basic ${TOKEN}` },
      { Authorization: TOKEN },
      { Authorization: 'Bearer' },
    ];
    for (const headers of refused) {
      const answer = await httpGet(url, { headers });
      expect(answer.status, JSON.stringify(headers)).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(answer.body).not.toContain('items');
    }
    const ok = await httpGet(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.body) as { ok: boolean; sections: { id: string }[] };
    expect(body.ok).toBe(true);
    expect(body.sections.map((s) => s.id)).toEqual(['items', '$cluster']);
  });

  it('/healthz, /readyz and /metrics stay open without a token', async () => {
    const health = await httpGet(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true });
    const ready = await httpGet(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ok: true });
    const metrics = await httpGet(`${server.url}/metrics`, {
      headers: { Authorization: 'Bearer wrong-token-value' },
    });
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/^opsdeck_connected_clients \d+$/m);
  });

  it('a malformed payload under the size limit gets bad_request and keeps the connection', async () => {
    const socket = await track(connect(server.url, { token: TOKEN }));
    const ack = await request<SubscribeAck>(socket, 'subscribe', {
      sections: ['items'],
      padding: 'x'.repeat(8 * 1024),
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(socket.connected).toBe(true);
    expect(await catalogIds(socket)).toContain('items');
  });

  it('a ~100 KB subscribe is refused without crashing the server; clients still connect', async () => {
    const bystander = await track(connect(server.url, { token: TOKEN }));
    const big = await track(connect(server.url, { token: TOKEN }));
    const updates: SectionUpdate[] = [];
    big.on('update', (u) => updates.push(u));
    const disconnected = new Promise<string>((resolve) => big.once('disconnect', resolve));
    const answer = request<SubscribeAck>(big, 'subscribe', {
      sections: ['items'],
      padding: 'x'.repeat(100 * 1024),
    }).then(
      (ack) => ({ ack }),
      (error: unknown) => ({ error }),
    );
    // Socket.IO closes a connection whose message exceeds maxHttpBufferSize; a server that read
    // the message instead must refuse it.
    const outcome = await Promise.race([
      disconnected.then((reason) => ({ reason })),
      answer.then((a) => ('ack' in a ? a : { reason: 'no ack' })),
    ]);
    if ('ack' in outcome) {
      expect(outcome.ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    } else {
      expect(outcome.reason).toMatch(/transport (close|error)/);
    }
    expect(updates).toEqual([]);

    expect(server.child.exitCode).toBeNull();
    expect((await httpGet(`${server.url}/healthz`)).status).toBe(200);
    expect(bystander.connected).toBe(true);
    expect(await catalogIds(bystander)).toContain('items');
    const fresh = await track(connect(server.url, { token: TOKEN }));
    expect(await catalogIds(fresh)).toEqual(['items', '$cluster']);
  });
});

describe('demo --token', () => {
  let demo: OpsdeckProcess;

  beforeAll(async () => {
    // --db inside the test folder: nothing is left in the system temp folder, whatever happens.
    demo = await servers.start([
      'demo',
      '--port',
      '0',
      '--rate',
      '0',
      '--token',
      TOKEN,
      '--db',
      dir.file('demo.db'),
    ]);
  });

  it('refuses a missing or wrong token and accepts the right one', async () => {
    expect(await unauthorizedMessage(connect(demo.url))).toBe('unauthorized');
    expect(await unauthorizedMessage(connect(demo.url, { token: 'wrong-token-value' }))).toBe(
      'unauthorized',
    );
    const socket = await track(connect(demo.url, { token: TOKEN }));
    expect(await catalogIds(socket)).toEqual(
      expect.arrayContaining(['kpis', 'sales', 'agents', 'recent', '$cluster']),
    );
    expect((await httpGet(`${demo.url}/api/sections`)).status).toBe(401);
    const ok = await httpGet(`${demo.url}/api/sections`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.status).toBe(200);
  });
});

describe('Origin allow-list (listen.allowedOrigins: ["app://opsdeck"])', () => {
  let server: OpsdeckProcess;
  const handshake = () => `${server.url}/socket.io/?EIO=4&transport=polling`;

  beforeAll(async () => {
    const config = dir.write(
      'origins.yml',
      sqliteConfig('sqlite:items.db', 'listen:\n  allowedOrigins: ["app://opsdeck"]\n'),
    );
    server = await servers.start(['serve', '--config', config, '--port', '0']);
  });

  it('a client sending Origin https://evil.example is refused (websocket and polling)', async () => {
    const headers = { Origin: 'https://evil.example' };
    await expect(connect(server.url, { extraHeaders: headers })).rejects.toThrow();
    await expect(
      connect(server.url, { extraHeaders: headers, transports: ['polling'] }),
    ).rejects.toThrow();
    const answer = await httpGet(handshake(), { headers });
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('Origin app://opsdeck connects and gets the catalog', async () => {
    const socket = await track(connect(server.url, { extraHeaders: { Origin: 'app://opsdeck' } }));
    expect(await catalogIds(socket)).toContain('items');
    const answer = await httpGet(handshake(), { headers: { Origin: 'app://opsdeck' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('app://opsdeck');
  });

  it('no Origin header connects and gets the catalog', async () => {
    const socket = await track(connect(server.url));
    expect(await catalogIds(socket)).toContain('items');
    expect((await httpGet(handshake())).status).toBe(200);
  });
});

describe('TLS (listen.tls, self-signed certificate)', () => {
  let server: OpsdeckProcess;
  let cert: string;
  let port: string;

  beforeAll(async () => {
    // tls/server.crt and tls/server.key, beside the configuration file.
    cert = selfSignedCert(dir.file('tls')).cert.toString('utf8');
    // Paths relative to the configuration file's folder.
    const config = dir.write(
      'tls.yml',
      sqliteConfig(
        'sqlite:items.db',
        'listen:\n  tls: { cert: tls/server.crt, key: tls/server.key }\n',
      ),
    );
    server = await servers.start(['serve', '--config', config, '--port', '0']);
    port = new URL(server.url).port;
  });

  it('prints `listening on https://...`', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stdout()).toMatch(/^listening on https:\/\/127\.0\.0\.1:\d+$/m);
  });

  it('a client with rejectUnauthorized: false connects over wss and gets the catalog', async () => {
    const socket = await track(connectWith(server.url, { rejectUnauthorized: false }));
    expect(await catalogIds(socket)).toEqual(['items', '$cluster']);
  });

  it('a client with the certificate as its CA connects; one without it is refused', async () => {
    const url = `https://localhost:${port}`;
    const socket = await track(connectWith(url, { ca: cert }));
    expect(await catalogIds(socket)).toContain('items');
    await expect(connectWith(url)).rejects.toThrow();
    const health = await httpGet(`${url}/healthz`, { ca: cert });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true });
  });

  it('a certificate that is not PEM: exit 2 naming listen.tls.cert, no stack trace', async () => {
    dir.write('tls/garbage.pem', 'not a certificate\n');
    const config = dir.write(
      'tls-garbage.yml',
      sqliteConfig(
        'sqlite:items.db',
        'listen:\n  tls: { cert: tls/garbage.pem, key: tls/server.key }\n',
      ),
    );
    const result = await runOpsdeck(['serve', '--config', config, '--port', '0'], {
      OPSDECK_LOG_LEVEL: 'info',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^config: listen\.tls\.cert: /m);
    expect(result.stderr).not.toContain('"stack"');
    expect(stackTraceLines(result.stderr)).toEqual([]);
  });

  it('plain http to the TLS port fails', async () => {
    await expect(httpGet(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    await expect(connect(`http://127.0.0.1:${port}`)).rejects.toThrow();
    expect(server.child.exitCode).toBeNull();
  });
});
