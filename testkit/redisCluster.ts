import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort.js';
import { readFileSync } from 'node:fs';
import { startRedisProcess, type RedisProcess } from './redisServer.js';
import type { TestPki } from './redisTls.js';

const run = promisify(execFile);

export interface RedisClusterSet {
  nodes: RedisProcess[];
  /** `cluster.nodes` of an Opsdeck configuration: 127.0.0.1:<port> of every node. */
  addresses: string[];
  nodeTimeoutMs: number;
  /** The node serving `key`'s slot as primary now (CLUSTER SLOTS, asked of a live node). */
  primaryFor(key: string): Promise<RedisProcess>;
  /** Every node's CLUSTER NODES view and last log lines, for a failing test's message. */
  diagnose(): Promise<string>;
  /** True when every live node says cluster_state:ok. */
  healthy(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of 3 primaries and 3 replicas (`redis-server --cluster-enabled yes`, then
 * `redis-cli --cluster create --cluster-replicas 1`) on free loopback ports, in a temporary folder
 * removed by stop(); no persistence. Resolves once every node says cluster_state:ok and every
 * primary has a replica that finished its initial sync.
 */
export async function startRedisCluster(
  options: {
    nodeTimeoutMs?: number;
    /** Every node speaks only TLS (clients, the cluster bus, replication) with this PKI. */
    tls?: TestPki;
  } = {},
): Promise<RedisClusterSet> {
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 2000;
  const pki = options.tls;
  const tlsArgs = pki
    ? [
        ...['--tls-cert-file', pki.serverCert, '--tls-key-file', pki.serverKey],
        ...['--tls-ca-cert-file', pki.ca, '--tls-auth-clients', 'no'],
        ...['--tls-cluster', 'yes', '--tls-replication', 'yes'],
      ]
    : [];
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-redis-cluster-'));
  const nodes: RedisProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i++) {
      const port = await freePort();
      // The bus port too: port + 10000 (the default) may be taken or beyond 65535.
      const busPort = await freePort();
      nodes.push(
        await startRedisProcess({
          port,
          dir,
          name: `node${i}`,
          ...(pki ? { tls: { ca: readFileSync(pki.ca) } } : {}),
          args: [
            ...(pki ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)]),
            ...tlsArgs,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, `nodes-${port}.conf`),
            '--cluster-port',
            String(busPort),
            '--cluster-node-timeout',
            String(nodeTimeoutMs),
            '--save',
            '',
            '--appendonly',
            'no',
            // A replica starts syncing at once (default: 5 s later), so it can be promoted sooner.
            '--repl-diskless-sync-delay',
            '0',
          ],
        }),
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run(
      'redis-cli',
      [
        ...(pki ? ['--tls', '--cacert', pki.ca] : []),
        ...['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'],
      ],
      { timeout: 60_000 },
    );
    const set: RedisClusterSet = {
      nodes,
      addresses,
      nodeTimeoutMs,
      async primaryFor(key) {
        for (const node of nodes.filter((n) => n.alive)) {
          const redis = node.connect({ lazyConnect: true, retryStrategy: () => null });
          try {
            await redis.connect();
            const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', key));
            const ranges = (await redis.call('CLUSTER', 'SLOTS')) as [
              number,
              number,
              [string, number, ...unknown[]],
            ][];
            const range = ranges.find(([from, to]) => slot >= from && slot <= to);
            const owner = nodes.find((n) => n.port === range?.[2][1]);
            if (owner) return owner;
          } catch {
            // ask the next node
          } finally {
            redis.disconnect();
          }
        }
        throw new Error(`no node serves ${key}`);
      },
      async healthy() {
        const states = await Promise.all(
          nodes
            .filter((n) => n.alive)
            .map(async (node) => {
              const redis = node.connect({ lazyConnect: true, retryStrategy: () => null });
              try {
                await redis.connect();
                return /cluster_state:ok/.test(String(await redis.call('CLUSTER', 'INFO')));
              } catch {
                return false;
              } finally {
                redis.disconnect();
              }
            }),
        );
        return states.every(Boolean);
      },
      async diagnose() {
        const views = await Promise.all(
          nodes.map(async (node) => {
            let view = '(down)';
            if (node.alive) {
              const redis = node.connect({ lazyConnect: true, retryStrategy: () => null });
              try {
                await redis.connect();
                view = String(await redis.call('CLUSTER', 'NODES'));
              } catch (error) {
                view = (error as Error).message;
              } finally {
                redis.disconnect();
              }
            }
            return `--- node ${node.port}\n${view}\n${node.logTail(8)}`;
          }),
        );
        return views.join('\n');
      },
      stop,
    };
    await waitUntil(
      async () => (await set.healthy()) && (await replicasUp(nodes)),
      'the cluster to be ok with a replica per primary',
    );
    return set;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Each primary has a replica whose initial sync has finished (`master_link_status:up`): a replica
 * that never synced cannot be promoted, so a test that kills a primary earlier waits forever.
 * And every node already knows them as replicas (what `opsdeck check` reads from any node).
 */
async function replicasUp(nodes: RedisProcess[]): Promise<boolean> {
  const synced = await Promise.all(
    nodes.map(async (node) => {
      const redis = node.connect({ lazyConnect: true, retryStrategy: () => null });
      try {
        await redis.connect();
        const info = await redis.info('replication');
        return /role:slave/.test(info) && /master_link_status:up/.test(info);
      } catch {
        return false;
      } finally {
        redis.disconnect();
      }
    }),
  );
  if (synced.filter(Boolean).length !== 3) return false;
  // ...and every node's view (CLUSTER NODES, spread by gossip) knows all 3 replicas as such.
  const views = await Promise.all(
    nodes.map(async (node) => {
      const redis = node.connect({ lazyConnect: true, retryStrategy: () => null });
      try {
        await redis.connect();
        const lines = String(await redis.call('CLUSTER', 'NODES'))
          .trim()
          .split('\n');
        const flags = lines.map((line) => (line.split(' ')[2] ?? '').split(','));
        return flags.filter((f) => f.includes('slave') && !f.some((x) => x.startsWith('fail')))
          .length;
      } catch {
        return 0;
      } finally {
        redis.disconnect();
      }
    }),
  );
  return views.every((replicas) => replicas === 3);
}

async function waitUntil(ok: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
