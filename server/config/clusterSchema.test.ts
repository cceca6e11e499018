import { describe, expect, it } from 'vitest';
import { configProblems } from '../../test/helpers/configProblems.js';
import { parseConfigText } from './loadConfig.js';

const base = `
database:
  url: postgres://dashboard@db.internal/sales
sections:
  - id: sales
    title: Sales
    view: { type: stat }
    sql: SELECT 1 AS n
`;
const withCluster = (cluster: string) => `${base}cluster:\n${cluster}\n`;

describe('cluster topology keys', () => {
  it('takes one server (redis:// or rediss:// with tls files), a Sentinel set or a Redis Cluster', () => {
    expect(parseConfigText(withCluster('  redis: redis://10.0.0.1:6379'), {}).cluster).toEqual({
      redis: 'redis://10.0.0.1:6379',
      name: 'default',
    });
    const tls = parseConfigText(
      withCluster(
        '  redis: rediss://redis.internal:6380\n  tls: { ca: ca.crt, cert: c.crt, key: c.key }',
      ),
      {},
    ).cluster;
    expect(tls?.tls).toEqual({ ca: 'ca.crt', cert: 'c.crt', key: 'c.key' });
    const sentinel = parseConfigText(
      withCluster(
        '  sentinels: [10.0.0.1:26379, "[::1]:26380"]\n  sentinelName: opsdeck\n  sentinelPassword: s3\n  password: p4',
      ),
      {},
    ).cluster;
    expect(sentinel).toMatchObject({
      sentinels: ['10.0.0.1:26379', '[::1]:26380'],
      sentinelName: 'opsdeck',
      sentinelPassword: 's3',
      password: 'p4',
    });
    const nodes = parseConfigText(withCluster('  nodes: [a:7000, b:7000]\n  name: eu'), {}).cluster;
    expect(nodes).toMatchObject({ nodes: ['a:7000', 'b:7000'], name: 'eu' });
  });

  it('needs exactly one topology, and says which keys collide', () => {
    expect(configProblems(withCluster('  name: eu'))).toEqual([
      'config: cluster: one of redis, sentinels (with sentinelName) or nodes is required',
    ]);
    expect(configProblems(withCluster('  redis: redis://a:6379\n  nodes: [b:7000]'))).toEqual([
      'config: cluster.nodes: only one topology: redis and nodes were both given',
    ]);
    expect(
      configProblems(withCluster('  sentinels: [a:26379]\n  nodes: [b:7000]\n  sentinelName: x')),
    ).toEqual(['config: cluster.nodes: only one topology: sentinels and nodes were both given']);
  });

  it('refuses keys that do not belong to the topology, with their paths', () => {
    expect(configProblems(withCluster('  sentinels: [a:26379]'))).toEqual([
      "config: cluster.sentinelName: required with sentinels (the monitored primary's name)",
    ]);
    expect(configProblems(withCluster('  nodes: [a:7000]\n  sentinelName: x'))).toEqual([
      'config: cluster.sentinelName: only with sentinels',
    ]);
    expect(configProblems(withCluster('  redis: redis://a:6379\n  password: x'))).toEqual([
      'config: cluster.password: put the credentials in the redis URL (redis://user:password@host:port)',
    ]);
    expect(configProblems(withCluster('  redis: redis://a:6379\n  tls: { ca: ca.crt }'))).toEqual([
      'config: cluster.tls: needs a rediss:// URL in cluster.redis (TLS)',
    ]);
    expect(configProblems(withCluster('  redis: rediss://a:6379\n  tls: { cert: c.crt }'))).toEqual(
      ['config: cluster.tls.key: required with tls.cert'],
    );
  });

  it('checks host:port entries one by one', () => {
    expect(configProblems(withCluster('  nodes: [a:7000, "b", c:99999]'))).toEqual([
      'config: cluster.nodes[1]: must be host:port (e.g. 10.0.0.1:26379)',
      'config: cluster.nodes[2]: the port must be 1-65535',
    ]);
    expect(configProblems(withCluster('  nodes: [a:7000, a:7000]'))).toEqual([
      'config: cluster.nodes[1]: duplicate a:7000',
    ]);
    expect(configProblems(withCluster('  nodes: []'))).toEqual([
      'config: cluster.nodes: at least one node',
    ]);
  });

  it('refuses an unknown cluster key with a suggestion', () => {
    const problems = configProblems(withCluster('  sentinel: [a:26379]\n  sentinelName: x'));
    expect(problems.join('\n')).toMatch(/cluster\.sentinel\b.*sentinels/);
  });
});
