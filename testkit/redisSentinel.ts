import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.js';
import { startRedisProcess, type RedisProcess } from './redisServer.js';
import type { TestPki } from './redisTls.js';

export interface SentinelSetOptions {
  /** The monitored primary's name (`cluster.sentinelName`); default `opsdeck`. */
  name?: string;
  /** Sentinel's down-after-milliseconds: how long a silent primary takes to be judged down. */
  downAfterMs?: number;
  /** Sentinel's failover-timeout. */
  failoverTimeoutMs?: number;
  /** Every node and sentinel speaks only TLS (tls-port, tls-replication) with this PKI. */
  tls?: TestPki;
  /** requirepass (and masterauth) of the data nodes; the sentinels get it as auth-pass. */
  password?: string;
}

export interface SentinelSet {
  name: string;
  /** The data nodes: [first primary, first replica] (a node restarted takes its place). */
  nodes: RedisProcess[];
  sentinels: RedisProcess[];
  /** `cluster.sentinels` of an Opsdeck configuration: 127.0.0.1:<port> of each sentinel. */
  addresses: string[];
  downAfterMs: number;
  /** The port of the primary the sentinels name now (SENTINEL get-master-addr-by-name). */
  primaryPort(): Promise<number | undefined>;
  /** The data node on `port`. */
  node(port: number): RedisProcess;
  /**
   * Starts a (dead) data node again on its port, empty, as a replica of the current primary;
   * resolves once every sentinel lists it as an in-sync replica.
   */
  restartAsReplica(port: number): Promise<RedisProcess>;
  stop(): Promise<void>;
}

/**
 * 1 primary, 1 replica and 3 sentinels (quorum 2) from the machine's redis-server, on free
 * loopback ports, in a temporary folder removed by stop(); no persistence. Resolves once every
 * sentinel has found the replica, so a failover can promote it.
 */
export async function startSentinelSet(options: SentinelSetOptions = {}): Promise<SentinelSet> {
  const name = options.name ?? 'opsdeck';
  const downAfterMs = options.downAfterMs ?? 1000;
  const failoverTimeoutMs = options.failoverTimeoutMs ?? 5000;
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-sentinel-'));
  const started: RedisProcess[] = [];
  const noPersistence = ['--save', '', '--appendonly', 'no'];
  const pki = options.tls;
  // TLS only: no plain port; replication and the sentinels' links over TLS too.
  const tlsSettings: [string, string][] = pki
    ? [
        ['tls-cert-file', pki.serverCert],
        ['tls-key-file', pki.serverKey],
        ['tls-ca-cert-file', pki.ca],
        ['tls-auth-clients', 'no'],
        ['tls-replication', 'yes'],
      ]
    : [];
  const portArgs = (port: number) =>
    pki ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
  const clientTls = pki ? { tls: { ca: readFileSync(pki.ca) } } : {};
  const password = options.password;
  const auth = password ? ['--requirepass', password, '--masterauth', password] : [];
  const startData = (port: number, replicaOf?: number) =>
    startRedisProcess({
      port,
      dir,
      name: `redis-${port}-${Date.now()}`,
      ...clientTls,
      ...(password ? { password } : {}),
      args: [
        ...portArgs(port),
        ...tlsSettings.flatMap(([key, value]) => [`--${key}`, value]),
        ...auth,
        ...noPersistence,
        ...(replicaOf !== undefined ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
      ],
    }).then((proc) => {
      started.push(proc);
      return proc;
    });
  try {
    const primary = await startData(await freePort());
    const replica = await startData(await freePort(), primary.port);
    const sentinels: RedisProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      // Sentinel rewrites its configuration file: one writable file each.
      const configFile = join(dir, `sentinel${i}.conf`);
      writeFileSync(
        configFile,
        [
          ...(pki ? ['port 0', `tls-port ${port}`] : [`port ${port}`]),
          ...tlsSettings.map(([key, value]) => `${key} ${value}`),
          `sentinel monitor ${name} 127.0.0.1 ${primary.port} 2`,
          ...(password ? [`sentinel auth-pass ${name} ${password}`] : []),
          `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
          `sentinel failover-timeout ${name} ${failoverTimeoutMs}`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      const sentinel = await startRedisProcess({
        port,
        dir,
        name: `sentinel${i}`,
        configFile,
        ...clientTls,
        args: ['--sentinel'],
      });
      started.push(sentinel);
      sentinels.push(sentinel);
    }
    const set: SentinelSet = {
      name,
      nodes: [primary, replica],
      sentinels,
      addresses: sentinels.map((s) => `127.0.0.1:${s.port}`),
      downAfterMs,
      async primaryPort() {
        for (const sentinel of sentinels.filter((s) => s.alive)) {
          const reply = await askSentinel(sentinel, 'get-master-addr-by-name', name).catch(
            () => null,
          );
          if (Array.isArray(reply)) return Number(reply[1]);
        }
        return undefined;
      },
      node(port) {
        const node = set.nodes.find((n) => n.port === port);
        if (!node) throw new Error(`no data node on port ${port}`);
        return node;
      },
      async restartAsReplica(port) {
        const primaryPort = await set.primaryPort();
        if (primaryPort === undefined) throw new Error('the sentinels name no primary');
        const index = set.nodes.findIndex((n) => n.port === port);
        if (index < 0 || set.nodes[index]?.alive) throw new Error(`node ${port} is not down`);
        const node = await startData(port, primaryPort);
        set.nodes[index] = node;
        await waitForReplicaKnown(set, port);
        return node;
      },
      async stop() {
        await Promise.all(started.map((p) => p.kill()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
    await waitForReplicaKnown(set, replica.port);
    return set;
  } catch (error) {
    await Promise.all(started.map((p) => p.kill()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** One SENTINEL subcommand on one sentinel, over a fresh connection. */
async function askSentinel(sentinel: RedisProcess, ...args: string[]): Promise<unknown> {
  const redis = sentinel.connect({ lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.call('SENTINEL', ...args);
  } finally {
    redis.disconnect();
  }
}

/**
 * Every sentinel knows the other two (a failover needs a quorum and an elected sentinel) and lists
 * the replica on `port` as up and in sync (it can be promoted). A sentinel reads a primary's INFO
 * every 10 s, so a new replica may take that long to appear.
 */
async function waitForReplicaKnown(set: SentinelSet, port: number): Promise<void> {
  const deadline = Date.now() + 45_000;
  const ready = async (sentinel: RedisProcess) => {
    try {
      const primary = fieldsOf((await askSentinel(sentinel, 'master', set.name)) as string[]);
      const replicas = (await askSentinel(sentinel, 'replicas', set.name)) as string[][];
      const peers = Number(primary.get('num-other-sentinels')) >= set.sentinels.length - 1;
      return (
        peers &&
        replicas
          .map(fieldsOf)
          .some(
            (info) =>
              info.get('port') === String(port) &&
              info.get('flags') === 'slave' &&
              info.get('master-link-status') === 'ok',
          )
      );
    } catch {
      return false;
    }
  };
  for (;;) {
    if ((await Promise.all(set.sentinels.map(ready))).every(Boolean)) return;
    if (Date.now() > deadline) {
      throw new Error(`the sentinels did not list the replica on ${port} as in sync within 45 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A Sentinel reply [field, value, field, value, ...] as a map. */
function fieldsOf(flat: string[]): Map<string, string> {
  const info = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) info.set(flat[i] ?? '', flat[i + 1] ?? '');
  return info;
}
