/**
 * The deployment files in deploy/: Docker cannot run on these machines, so the compose file, the
 * Dockerfile and the systemd unit are checked statically; deploy/opsdeck.yaml is validated by the
 * server's own configuration loader; and deploy/nginx.conf, rewritten only for loopback (upstream
 * addresses, listen address, log and temp paths), is run by a real nginx in front of three nodes
 * serving deploy/opsdeck.yaml's sections on deploy/initdb's schema, for websocket and long-polling
 * clients with the token.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config/ConfigError.js';
import { parseConfigText } from '../../server/config/loadConfig.js';
import { notifyTriggerSql } from '../../server/config/notifyTriggerSql.js';
import { waitFor } from '../helpers/client.js';
import { createPostgresDatabase, type TestDatabase } from '../helpers/services.js';
import { deleteClusterKeys, randomClusterName, SHARED_REDIS } from './helpers/fixture.js';
import { LiveClient } from './helpers/liveClient.js';
import { startNginx, type Nginx } from './helpers/nginx.js';
import { startCluster, type Cluster } from './helpers/nodes.js';
import { describeCluster, findProgram, NGINX } from './helpers/requirements.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const read = (file: string) => readFileSync(join(DEPLOY, file), 'utf8');
const TOKEN = 'deploy-test-token-0123456789';
const ENV = { OPSDECK_TOKEN: TOKEN, POSTGRES_PASSWORD: 'secret' };

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, unknown> | string[];
}

/**
 * deploy/nginx.conf for loopback: the nodes' real ports, a free local port, logs and temp files
 * in the test's folder. Each rewrite must match, so the test notices when the file changes shape.
 */
function loopbackNginxConf(dir: string, port: number, upstreams: number[]): string {
  let text = read('nginx.conf');
  const rewrite = (pattern: RegExp, by: (match: string, ...groups: string[]) => string) => {
    expect(text, `deploy/nginx.conf should match ${pattern}`).toMatch(pattern);
    text = text.replace(pattern, by);
  };
  rewrite(/worker_processes auto;/, () => 'worker_processes 1;');
  rewrite(/server opsdeck-(\d):3001/g, (_m, n) => `server 127.0.0.1:${upstreams[Number(n) - 1]}`);
  rewrite(/listen 80;/, () => `listen 127.0.0.1:${port};`);
  rewrite(
    /access_log \/var\/log\/nginx\/access\.log;/,
    () =>
      `access_log ${dir}/access.log;\n  client_body_temp_path ${dir}/client_body;\n` +
      `  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n` +
      `  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;`,
  );
  return text;
}

describe('deploy/ files', () => {
  it('docker-compose.yml: 3 nodes built from deploy/Dockerfile, Redis, PostgreSQL, nginx', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, ComposeService>;
      volumes?: Record<string, unknown>;
    };
    const services = compose.services;
    expect(Object.keys(services).sort()).toEqual(
      ['nginx', 'opsdeck-1', 'opsdeck-2', 'opsdeck-3', 'postgres', 'redis'].sort(),
    );
    for (const name of ['opsdeck-1', 'opsdeck-2', 'opsdeck-3']) {
      const node = services[name]!;
      expect(node.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
      expect(node.command).toEqual(['serve', '--config', '/etc/opsdeck/opsdeck.yaml']);
      expect(node.volumes).toContain('./opsdeck.yaml:/etc/opsdeck/opsdeck.yaml:ro');
      expect(Object.keys(node.environment ?? {})).toContain('OPSDECK_TOKEN');
      expect(node.ports).toBeUndefined(); // only nginx is published
    }
    expect(services.nginx!.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(services.nginx!.ports).toEqual(['8080:80']);
    expect(services.postgres!.volumes).toContain('./initdb:/docker-entrypoint-initdb.d:ro');
    expect(services.postgres!.image).toMatch(/^postgres:/);
    expect(services.redis!.image).toMatch(/^redis:/);
    // The names nginx.conf's upstream uses are the compose service names.
    for (const match of read('nginx.conf').matchAll(/server (opsdeck-\d):3001/g))
      expect(services).toHaveProperty([match[1]!]);
  });

  it('Dockerfile: node:20-bookworm-slim, npm ci, build, runs `opsdeck serve`', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM node:20-bookworm-slim/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/RUN npm run build\b/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/opsdeck\.js"\]/);
  });

  it('opsdeck.yaml: a valid notify-mode cluster configuration, with ${OPSDECK_TOKEN}', () => {
    const config = parseConfigText(read('opsdeck.yaml'), ENV);
    expect(config.auth.tokens).toEqual([TOKEN]);
    expect(config.watch.mode).toBe('notify');
    expect(config.cluster).toEqual({ redis: 'redis://redis:6379', name: 'opsdeck' });
    expect(config.database.url).toBe('postgres://opsdeck:secret@postgres:5432/sales');
    expect(config.listen).toMatchObject({ host: '0.0.0.0', port: 3001 });
    // Without the token variable the server refuses to start, naming the key.
    expect(() => parseConfigText(read('opsdeck.yaml'), { POSTGRES_PASSWORD: 'x' })).toThrow(
      ConfigError,
    );
    expect(() => parseConfigText(read('opsdeck.yaml'), { POSTGRES_PASSWORD: 'x' })).toThrow(
      /OPSDECK_TOKEN/,
    );
  });

  it('initdb/01-schema.sql installs exactly the trigger `opsdeck check` prints', () => {
    const config = parseConfigText(read('opsdeck.yaml'), ENV);
    const tables = config.sections.flatMap((s) => s.tables ?? []);
    expect(read('initdb/01-schema.sql')).toContain(notifyTriggerSql(config.watch.channel, tables));
  });

  const systemdAnalyze = findProgram('systemd-analyze');
  it.skipIf(!systemdAnalyze)('opsdeck.service: systemd accepts every directive', () => {
    const unit = read('opsdeck.service');
    for (const directive of [
      'User=opsdeck',
      'Restart=on-failure',
      'EnvironmentFile=/etc/opsdeck/opsdeck.env',
      'NoNewPrivileges=true',
      'ProtectSystem=strict',
    ])
      expect(unit).toContain(directive);
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-unit-'));
    try {
      writeFileSync(join(dir, 'opsdeck.service'), unit);
      const result = spawnSync(systemdAnalyze!, ['verify', join(dir, 'opsdeck.service')], {
        encoding: 'utf8',
      });
      // Complaints about the unit itself (unknown keys, bad values); the missing /opt/opsdeck
      // install and user are expected on a test machine.
      const problems = `${result.stdout}${result.stderr}`
        .split('\n')
        .filter((line) => /opsdeck\.service:\d+:/.test(line));
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  if (!systemdAnalyze) console.warn('skipping the systemd unit check: systemd-analyze not found');
});

let db: TestDatabase | undefined;
const name = randomClusterName();
let cluster: Cluster | undefined;
let nginx: Nginx | undefined;
const clients: LiveClient[] = [];

await describeCluster(
  'deploy/nginx.conf in front of 3 nodes',
  { services: ['postgres', 'redis'], nginx: true },
  () => {
    beforeAll(async () => {
      db = await createPostgresDatabase();
      await db.admin(read('initdb/01-schema.sql'));
      // deploy/opsdeck.yaml, pointed at the test's database, Redis prefix and a loopback port.
      const config = parseConfigText(read('opsdeck.yaml'), ENV);
      cluster = await startCluster(
        3,
        {
          ...config,
          listen: { host: '127.0.0.1', port: 0 },
          database: { ...config.database, url: db.url },
          cluster: { redis: SHARED_REDIS, name },
        },
        TOKEN,
      );
    });

    afterAll(async () => {
      for (const c of clients) c.close();
      await nginx?.stop();
      await cluster?.stop();
      await deleteClusterKeys(SHARED_REDIS, name);
      await db?.drop();
    });

    it('passes nginx -t', () => {
      const dir = mkdtempSync(join(tmpdir(), 'opsdeck-nginx-t-'));
      try {
        const file = join(dir, 'nginx.conf');
        const ports = cluster!.nodes.map((n) => n.port);
        writeFileSync(file, loopbackNginxConf(dir, 1, ports));
        const result = spawnSync(
          NGINX!,
          [
            '-t',
            '-p',
            `${dir}/`,
            '-c',
            file,
            '-e',
            join(dir, 'error.log'),
            '-g',
            `pid ${dir}/pid;`,
          ],
          { encoding: 'utf8' },
        );
        expect(result.stderr).toMatch(/syntax is ok/);
        expect(result.status, result.stderr).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('proxies /healthz, hides /metrics, and carries websocket and long-polling sessions', async () => {
      const ports = cluster!.nodes.map((n) => n.port);
      nginx = await startNginx((dir, port) => loopbackNginxConf(dir, port, ports));
      expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
      const sections = ['kpis', 'sales', 'recent'];
      for (const transports of [['websocket'], ['polling']] as const) {
        clients.push(
          await LiveClient.open(transports[0], nginx.url, sections, {
            transports: [...transports],
            token: TOKEN,
          }),
        );
      }
      await waitFor('every section on both clients', () =>
        clients.every((c) => sections.every((s) => c.latest(s))),
      );
      await db!.admin("INSERT INTO orders (customer, total) VALUES ('Acme', 42.5)");
      // Each section is its own query and update: wait for both, not just the first to arrive.
      await waitFor('the new order in recent and kpis on both clients', () =>
        clients.every(
          (c) =>
            c.latest('recent')?.rows[0]?.customer === 'Acme' &&
            c.latest('kpis')?.rows[0]?.orders_today === 1,
        ),
      );
      for (const c of clients) {
        expect(c.latest('kpis')?.rows[0]).toMatchObject({ orders_today: 1, open_orders: 1 });
        expect(c.disconnects).toBe(0);
        expect(c.monotonicityViolations()).toEqual([]);
      }
      expect(clients[1]!.socket.io.engine.transport.name).toBe('polling');
      // Without the token nginx passes the refusal through.
      await expect(
        LiveClient.open('anonymous', nginx.url, sections, { reconnect: false }),
      ).rejects.toThrow(/unauthorized/);
    });
  },
);
