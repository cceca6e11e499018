import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { redactUrl } from './pingRedis.js';

export interface HostPort {
  host: string;
  port: number;
}

/** PEM contents (not file names): read once, when the topology is made. */
export interface RedisTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Where each came from, for error messages (`cluster.tls.ca` = ca.crt). */
  files: Partial<Record<'ca' | 'cert' | 'key', string>>;
}

/**
 * How a cluster reaches its Redis: exactly one of one server, a Sentinel set (ioredis asks the
 * sentinels for the primary and follows failovers) or a Redis Cluster (ioredis follows the slot
 * map); TLS with any of them.
 */
export type RedisTopology =
  | { kind: 'standalone'; url: string; tls?: RedisTls }
  | {
      kind: 'sentinel';
      sentinels: HostPort[];
      name: string;
      sentinelPassword?: string;
      username?: string;
      password?: string;
      tls?: RedisTls;
    }
  | { kind: 'cluster'; nodes: HostPort[]; username?: string; password?: string; tls?: RedisTls };

/** The `cluster` keys this needs (structurally, config/'s ClusterConfig). */
export interface TopologySettings {
  redis?: string | undefined;
  tls?:
    { ca?: string | undefined; cert?: string | undefined; key?: string | undefined } | undefined;
  sentinels?: string[] | undefined;
  sentinelName?: string | undefined;
  sentinelPassword?: string | undefined;
  nodes?: string[] | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

/** A file of cluster.tls that cannot be read: `key` names the key path. */
export class RedisTlsFileError extends Error {
  constructor(
    readonly key: string,
    readonly file: string,
  ) {
    super(`config: cluster.tls.${key}: cannot read ${file}`);
    this.name = 'RedisTlsFileError';
  }
}

/** The topology of validated `cluster` settings; TLS files read relative to `baseDir`. */
export function redisTopology(settings: TopologySettings, baseDir: string): RedisTopology {
  const tls = settings.tls ? readTls(settings.tls, baseDir) : undefined;
  const credentials = {
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
  };
  if (settings.sentinels) {
    if (!settings.sentinelName) throw new Error('cluster: sentinels without sentinelName');
    return {
      kind: 'sentinel',
      sentinels: settings.sentinels.map(parseHostPort),
      name: settings.sentinelName,
      ...(settings.sentinelPassword !== undefined
        ? { sentinelPassword: settings.sentinelPassword }
        : {}),
      ...credentials,
      ...(tls ? { tls } : {}),
    };
  }
  if (settings.nodes) {
    return {
      kind: 'cluster',
      nodes: settings.nodes.map(parseHostPort),
      ...credentials,
      ...(tls ? { tls } : {}),
    };
  }
  // The schema refuses both; a caller that skipped it gets an error, not a guess.
  if (!settings.redis) throw new Error('cluster: no Redis topology (the schema requires one)');
  return { kind: 'standalone', url: settings.redis, ...(tls ? { tls } : {}) };
}

/** `10.0.0.1:26379` or `[::1]:26379`. */
export function parseHostPort(text: string): HostPort {
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(text.slice(at + 1)) };
}

/** The topology in one line, without secrets: what `check` and the logs say. */
export function describeTopology(topology: RedisTopology): string {
  const tls = topology.tls ? ' with TLS' : '';
  switch (topology.kind) {
    case 'standalone':
      return `standalone ${redactUrl(topology.url)}${tls}`;
    case 'sentinel':
      return `sentinel "${topology.name}" via ${topology.sentinels.map(formatHostPort).join(', ')}${tls}`;
    case 'cluster':
      return `cluster seeded by ${topology.nodes.map(formatHostPort).join(', ')}${tls}`;
  }
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function readTls(files: NonNullable<TopologySettings['tls']>, baseDir: string): RedisTls {
  const tls: RedisTls = { files: {} };
  for (const key of ['ca', 'cert', 'key'] as const) {
    const name = files[key];
    if (name === undefined) continue;
    const file = resolve(baseDir, name);
    try {
      tls[key] = readFileSync(file);
    } catch {
      throw new RedisTlsFileError(key, file);
    }
    tls.files[key] = name;
  }
  return tls;
}
