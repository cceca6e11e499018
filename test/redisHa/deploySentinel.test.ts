/**
 * deploy/docker-compose.sentinel.yml and deploy/opsdeck.sentinel.yaml: Docker cannot run on these
 * machines, so the files are checked statically: the compose file wires 3 nodes, a primary, a
 * replica and 3 sentinels that agree with the configuration (sentinel names and ports, the
 * monitored name, a quorum the 3 sentinels can reach, one password for clients and replication);
 * the configuration passes the server's own loader. The topology itself runs for real, from
 * redis-server binaries, in sentinel.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../server/config/loadConfig.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const read = (file: string) => readFileSync(join(DEPLOY, file), 'utf8');
const ENV = {
  OPSDECK_TOKEN: 'deploy-test-token-0123456789',
  POSTGRES_PASSWORD: 'pg',
  REDIS_PASSWORD: 'rp',
};

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.sentinel.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const commandOf = (name: string) => (services[name]?.command ?? []).join(' ');

describe('deploy/ Sentinel topology', () => {
  it('wires 3 nodes, a primary, a replica, 3 sentinels, PostgreSQL and nginx', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'nginx',
        'opsdeck-1',
        'opsdeck-2',
        'opsdeck-3',
        'postgres',
        'redis-primary',
        'redis-replica',
        'sentinel-1',
        'sentinel-2',
        'sentinel-3',
      ].sort(),
    );
    for (const name of ['opsdeck-1', 'opsdeck-2', 'opsdeck-3']) {
      const node = services[name]!;
      expect(node.volumes).toContain('./opsdeck.sentinel.yaml:/etc/opsdeck/opsdeck.yaml:ro');
      expect(Object.keys(node.environment ?? {})).toEqual(
        expect.arrayContaining(['OPSDECK_TOKEN', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD']),
      );
      expect(Object.keys(node.depends_on ?? {})).toEqual(
        expect.arrayContaining(['sentinel-1', 'sentinel-2', 'sentinel-3']),
      );
    }
    expect(commandOf('redis-replica')).toContain('--replicaof redis-primary 6379');
    for (const name of ['redis-primary', 'redis-replica']) {
      // Either may be the primary after a failover: both take the password, both replicate with it.
      expect(commandOf(name)).toContain('--requirepass "$$REDIS_PASSWORD"');
      expect(commandOf(name)).toContain('--masterauth "$$REDIS_PASSWORD"');
      expect(commandOf(name)).toContain("--save ''");
      expect(commandOf(name)).not.toMatch(/maxmemory-policy allkeys/);
    }
  });

  it('the sentinels monitor the name and nodes the configuration uses, with a reachable quorum', () => {
    const config = parseConfigText(read('opsdeck.sentinel.yaml'), ENV);
    const cluster = config.cluster;
    expect(cluster?.redis).toBeUndefined();
    expect(cluster?.password).toBe('rp');
    const sentinels = Object.keys(services).filter((s) => s.startsWith('sentinel-'));
    expect(cluster?.sentinels).toEqual(sentinels.map((s) => `${s}:26379`));
    for (const name of sentinels) {
      const script = commandOf(name);
      const monitor = /sentinel monitor (\S+) (\S+) (\d+) (\d+)/.exec(script);
      expect(monitor?.slice(1)).toEqual([cluster?.sentinelName, 'redis-primary', '6379', '2']);
      expect(Number(monitor?.[4])).toBeLessThanOrEqual(Math.floor(sentinels.length / 2) + 1);
      expect(script).toContain(`sentinel auth-pass ${cluster?.sentinelName} $$REDIS_PASSWORD`);
      expect(script).toContain('port 26379');
      expect(services[name]?.environment?.SENTINEL_HOST).toBe(name);
    }
  });

  it('opsdeck.sentinel.yaml is opsdeck.yaml but for the cluster key', () => {
    const sentinel = parseConfigText(read('opsdeck.sentinel.yaml'), ENV);
    const single = parseConfigText(read('opsdeck.yaml'), ENV);
    expect({ ...sentinel, cluster: undefined }).toEqual({ ...single, cluster: undefined });
    expect(sentinel.cluster?.name).toBe(single.cluster?.name);
  });
});
