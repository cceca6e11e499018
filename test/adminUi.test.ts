/**
 * `observability.adminUi`: the official Socket.IO Admin UI's namespace (@socket.io/admin-ui) on
 * /admin with its own basic auth, over real sockets: in-process servers (one alone, two in a
 * cluster on the real Redis, where every node reports under its nodeId) and `opsdeck serve` /
 * `opsdeck check` from a configuration file.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CatalogAck } from '../common/protocol.js';
import { parseConfigText } from '../server/config/loadConfig.js';
import { adminUiSettings } from '../server/config/observabilitySchema.js';
import type { AdminUiSettings } from '../server/observability/adminUi.js';
import { createItemsDatabase, sqliteConfig, tempDir } from './helpers/cliFixtures.js';
import { request } from './helpers/client.js';
import { configProblems } from './helpers/configProblems.js';
import { runOpsdeck, startOpsdeck } from './helpers/opsdeckProcess.js';
import { deleteClusterKeys, randomClusterName, SHARED_REDIS } from './cluster/helpers/fixture.js';
import { describeCluster } from './cluster/helpers/requirements.js';
import { ControlledSection } from './support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from './support/inProcessServer.js';

const PASSWORD = 'opsdeck-admin-test';
/** bcryptjs.hashSync(PASSWORD, 10), made once: the tests need no bcrypt of their own. */
const HASH = '$2a$10$2AmoBSTZrjjN7L/L6/9zPOMwgqnqT/1BRCM1CXb1ujkvSCwlgy1lu';
const TOKEN = 'admin-ui-test-token';
const ADMIN: AdminUiSettings = { username: 'admin', passwordHash: HASH, readonly: true };

interface ServerStats {
  serverId: string;
  clientsCount: number;
}

/** What the Admin UI is told first: what it may do. */
const configs = new WeakMap<Socket, Promise<{ supportedFeatures: string[] }>>();

/** A socket.io-client on a server's /admin namespace; resolves once connected, or rejects. */
function connectAdmin(url: string, auth: Record<string, string>): Promise<Socket> {
  const socket = io(`${url}/admin`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
    auth,
  });
  // Listened for before connecting: the server sends it with the connection.
  configs.set(socket, new Promise((resolve) => socket.once('config', resolve)));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

describe('observability.adminUi in the configuration file', () => {
  const base = `database:\n  url: sqlite:items.db\nsections:\n  - { id: items, title: Items, view: { type: table }, sql: SELECT 1 AS id }\n`;

  it('is off unless enabled, and read-only unless told otherwise', () => {
    expect(adminUiSettings(parseConfigText(base, {}))).toBeUndefined();
    const off = `${base}observability:\n  adminUi: { enabled: false }\n`;
    expect(adminUiSettings(parseConfigText(off, {}))).toBeUndefined();
    const on = `${base}observability:\n  adminUi: { enabled: true, username: admin, passwordHash: "${HASH}" }\n`;
    expect(adminUiSettings(parseConfigText(on, {}))).toEqual(ADMIN);
    const fromEnv = `${base}observability:\n  adminUi:\n    enabled: \${ON}\n    username: ops\n    passwordHash: "\${HASH}"\n    readonly: false\n`;
    expect(adminUiSettings(parseConfigText(fromEnv, { ON: 'true', HASH }))).toEqual({
      username: 'ops',
      passwordHash: HASH,
      readonly: false,
    });
  });

  it('refuses a password where the bcrypt hash goes, and says how to make one', () => {
    const plain = `${base}observability:\n  adminUi: { enabled: true, username: admin, passwordHash: ${PASSWORD} }\n`;
    const [problem, ...rest] = configProblems(plain);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^config: observability\.adminUi\.passwordHash: must be a bcrypt hash/);
    expect(problem).toContain('hashSync');
  });

  it('needs the username and the hash once enabled; unknown keys get a suggestion', () => {
    const bare = `${base}observability:\n  adminUi: { enabled: true }\n`;
    expect(configProblems(bare)).toEqual([
      'config: observability.adminUi.username: required when enabled is true',
      'config: observability.adminUi.passwordHash: required when enabled is true',
    ]);
    const typo = `${base}observability:\n  adminUi: { enabled: true, username: a, password: x }\n`;
    expect(configProblems(typo).join('\n')).toMatch(
      /observability\.adminUi.*password.*passwordHash/s,
    );
  });
});

describe('the /admin namespace on one server', () => {
  let server: InProcessServer;
  let plain: InProcessServer;

  beforeAll(async () => {
    server = await startInProcessServer({
      sections: [new ControlledSection('a')],
      tokens: [TOKEN],
      adminUi: ADMIN,
    });
    plain = await startInProcessServer({ sections: [new ControlledSection('a')] });
  });

  afterAll(async () => {
    await server.close();
    await plain.close();
  });

  it('lets the Admin UI in with its username and password, in production mode, read-only', async () => {
    const admin = await connectAdmin(server.url, { username: 'admin', password: PASSWORD });
    try {
      const config = await configs.get(admin);
      // Aggregated figures only: no per-socket events (development mode), no emit/join/disconnect.
      expect(config?.supportedFeatures).toEqual(['AGGREGATED_EVENTS']);
      const stats = await new Promise<ServerStats>((resolve) =>
        admin.once('server_stats', resolve),
      );
      expect(stats.serverId).toBe(await nodeIdOf(server));
    } finally {
      admin.close();
    }
  });

  it('refuses a wrong password, another user and no credentials', async () => {
    for (const auth of [
      { username: 'admin', password: 'wrong' },
      { username: 'root', password: PASSWORD },
      {},
      { token: TOKEN }, // the protocol's token is not the Admin UI's password
    ]) {
      await expect(connectAdmin(server.url, auth)).rejects.toThrow('invalid credentials');
    }
  });

  it('leaves the protocol to its tokens: the admin password opens no dashboard', async () => {
    const socket = io(server.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { username: 'admin', password: PASSWORD },
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).toBe('unauthorized');
  });

  it('does not exist unless configured', async () => {
    await expect(
      connectAdmin(plain.url, { username: 'admin', password: PASSWORD }),
    ).rejects.toThrow(/invalid namespace/i);
  });
});

await describeCluster('the Admin UI across a cluster', { services: ['redis'] }, () => {
  const name = randomClusterName();
  const nodes: InProcessServer[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await startInProcessServer({
          sections: [new ControlledSection('a')],
          cluster: { redisUrl: SHARED_REDIS, name, leaseTtlMs: 1000 },
          adminUi: ADMIN,
        }),
      );
    }
  });

  afterAll(async () => {
    for (const node of nodes) await node.close();
    await deleteClusterKeys(SHARED_REDIS, name);
  });

  it('shows every node, each under its nodeId, to an Admin UI connected to one of them', async () => {
    const ids = await Promise.all(nodes.map(nodeIdOf));
    const admin = await connectAdmin(nodes[0]!.url, { username: 'admin', password: PASSWORD });
    const seen = new Set<string>();
    admin.on('server_stats', (stats: ServerStats) => seen.add(stats.serverId));
    try {
      await vi.waitFor(() => expect([...seen].sort()).toEqual([...ids].sort()), {
        timeout: 30_000,
        interval: 100,
      });
    } finally {
      admin.close();
    }
  });
});

describe('opsdeck serve and check with observability.adminUi', () => {
  const dir = tempDir();
  createItemsDatabase(dir.file('items.db'));
  const adminYaml = (hash: string) =>
    `observability:\n  adminUi: { enabled: true, username: ops, passwordHash: "${hash}" }\n`;

  afterAll(() => dir.remove());

  it('check refuses a plain password with the key path, exit 2', async () => {
    const file = dir.write('bad.yaml', sqliteConfig('sqlite:items.db', adminYaml(PASSWORD)));
    const result = await runOpsdeck(['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toContain(
      'config: observability.adminUi.passwordHash: must be a bcrypt hash',
    );
  });

  it('serve opens /admin with the configured credentials', async () => {
    const file = dir.write('good.yaml', sqliteConfig('sqlite:items.db', adminYaml(HASH)));
    const served = await startOpsdeck(['serve', '--config', file, '--port', '0']);
    try {
      const admin = await connectAdmin(served.url, { username: 'ops', password: PASSWORD });
      const stats = await new Promise<ServerStats>((resolve) =>
        admin.once('server_stats', resolve),
      );
      expect(stats.clientsCount).toBeGreaterThanOrEqual(1);
      admin.close();
      await expect(connectAdmin(served.url, { username: 'ops', password: 'nope' })).rejects.toThrow(
        'invalid credentials',
      );
    } finally {
      await served.stop();
    }
  });
});

async function nodeIdOf(server: InProcessServer): Promise<string> {
  const socket = await server.client({ token: TOKEN });
  const catalog = await request<CatalogAck>(socket, 'catalog');
  socket.close();
  if (!catalog.ok) throw new Error(catalog.error.message);
  return catalog.server.nodeId;
}
