/**
 * Redis over TLS: a self-signed CA made with openssl, `redis-server --tls-port` (Debian's build has
 * TLS), `cluster.redis: rediss://` with `cluster.tls` files named relative to the configuration.
 * The right CA: `check` passes (topology, lease and snapshot scripts) and `serve` leads. A wrong
 * CA, or a missing client certificate where Redis requires one: `check` and `serve` exit 1 at once
 * with one line naming the cause and the setting, never a silent retry loop.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestPki, startTlsRedis, type TestPki } from '../../testkit/redisTls.js';
import type { RedisProcess } from '../../testkit/redisServer.js';
import {
  lines,
  tempDir,
  createItemsDatabase,
  sqliteConfig,
  type TempDir,
} from '../helpers/cliFixtures.js';
import { waitFor } from '../helpers/client.js';
import { metricValue, scrape } from '../helpers/metrics.js';
import { runOpsdeck, startOpsdeck } from '../helpers/opsdeckProcess.js';
import { describeHa } from './describeHa.js';
import { basename } from 'node:path';

let dir: TempDir;
let pki: TestPki;
let redis: RedisProcess;
let mutual: RedisProcess;

/** A configuration file in the PKI's folder (so `tls` names are relative to it); its path. */
function config(name: string, cluster: string): string {
  return dir.write(
    `${name}.yaml`,
    sqliteConfig(`sqlite:${dir.file('items.db')}`, `cluster:\n${cluster}\n`),
  );
}

const tlsCluster = (port: number, tls: string) =>
  `  redis: rediss://127.0.0.1:${port}\n  name: tls-${port}\n  tls: ${tls}`;

await describeHa('Redis over TLS', { services: [], programs: ['openssl'] }, () => {
  beforeAll(async () => {
    dir = tempDir('opsdeck-redis-tls-');
    pki = makeTestPki(dir.path);
    createItemsDatabase(dir.file('items.db'));
    redis = await startTlsRedis(dir.path, pki);
    mutual = await startTlsRedis(dir.path, pki, { clientCertificates: true, name: 'redis-mtls' });
  });

  afterAll(async () => {
    await redis.kill();
    await mutual.kill();
    dir.remove();
  });

  it('check with the right CA: the topology, the lease and snapshot scripts pass', async () => {
    const file = config('good', tlsCluster(redis.port, '{ ca: ca.crt }'));
    const { code, stdout } = await runOpsdeck(['check', '--config', file]);
    expect(stdout).toContain(`redis: standalone rediss://127.0.0.1:${redis.port} with TLS`);
    expect(stdout).toMatch(/ok {4}connected to 127\.0\.0\.1:\d+, role master, Redis 7/);
    expect(stdout).toContain('ok    lease script');
    expect(stdout).toContain('ok    snapshot script');
    expect(code).toBe(0);
  });

  it('check with a wrong CA: exit 1, one line naming the certificate problem and cluster.tls.ca', async () => {
    const file = config('wrong-ca', tlsCluster(redis.port, `{ ca: ${basename(pki.otherCa)} }`));
    const { code, stdout } = await runOpsdeck(['check', '--config', file]);
    const fail = lines(stdout).filter((l) => l.includes('FAIL'));
    expect(fail).toEqual([
      expect.stringMatching(
        /FAIL {2}TLS: Redis's certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): .*\); check cluster\.tls\.ca \(other-ca\.crt\)/,
      ),
    ]);
    expect(code).toBe(1);
  });

  it('serve with a wrong CA: exit 1 before listening, one line on stderr', async () => {
    const file = config(
      'serve-wrong-ca',
      tlsCluster(redis.port, `{ ca: ${basename(pki.otherCa)} }`),
    );
    const { code, stdout, stderr } = await runOpsdeck(['serve', '--config', file, '--port', '0']);
    expect(stdout).not.toContain('listening on');
    const problems = lines(stderr).filter((l) => !l.startsWith('{')); // JSON logs aside
    expect(problems).toEqual([
      expect.stringMatching(
        /^error: redis: standalone rediss:\/\/.* with TLS: TLS: Redis's certificate is not trusted .*cluster\.tls\.ca \(other-ca\.crt\)$/,
      ),
    ]);
    expect(code).toBe(1);
  });

  it('serve with the right CA: listening, leader, ready', async () => {
    const file = config('serve-good', tlsCluster(redis.port, '{ ca: ca.crt }'));
    const server = await startOpsdeck(['serve', '--config', file, '--port', '0'], {}, 60_000);
    try {
      await waitFor(
        'the node to lead over TLS',
        async () => metricValue(await scrape(server.url), 'opsdeck_is_leader') === 1,
        30_000,
        100,
      );
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  it('a Redis that requires client certificates: without one a clear FAIL, with cluster.tls.cert/key ok', async () => {
    const without = await runOpsdeck([
      'check',
      '--config',
      config('mtls-without', tlsCluster(mutual.port, '{ ca: ca.crt }')),
    ]);
    expect(without.code).toBe(1);
    expect(lines(without.stdout).filter((l) => l.includes('FAIL'))).toEqual([
      expect.stringMatching(
        /FAIL {2}(TLS: handshake failed \(ERR_SSL_\w+\); Redis wants a client certificate|.*\(TLS: Redis may require a client certificate: set cluster\.tls\.cert and cluster\.tls\.key\))/,
      ),
    ]);
    const withCert = await runOpsdeck([
      'check',
      '--config',
      config(
        'mtls-with',
        tlsCluster(mutual.port, '{ ca: ca.crt, cert: client.crt, key: client.key }'),
      ),
    ]);
    expect(withCert.stdout).toContain('ok    snapshot script');
    expect(withCert.code).toBe(0);
  });

  it('an unreadable cluster.tls file and tls without rediss:// are configuration errors (exit 2)', async () => {
    const missing = await runOpsdeck([
      'serve',
      '--config',
      config('missing-ca', tlsCluster(redis.port, '{ ca: nowhere.crt }')),
    ]);
    expect(missing.stderr).toContain('config: cluster.tls.ca: cannot read');
    expect(missing.code).toBe(2);
    const plain = await runOpsdeck([
      'check',
      '--config',
      config('plain-url', `  redis: redis://127.0.0.1:${redis.port}\n  tls: { ca: ca.crt }`),
    ]);
    expect(plain.stderr).toContain('config: cluster.tls: needs a rediss:// URL');
    expect(plain.code).toBe(2);
  });
});
