/**
 * `opsdeck check` and Redis's eviction policy: `allkeys-*` may evict a snapshot or the fencing
 * epoch, so it fails with the fix; `volatile-*` (only keys with a TTL: the lease and heartbeats,
 * re-made every second) and noeviction pass. On a private Redis of the test's own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../testkit/freePort.js';
import { startRedisProcess, type RedisProcess } from '../../testkit/redisServer.js';
import { lines } from '../helpers/cliFixtures.js';
import { runOpsdeck } from '../helpers/opsdeckProcess.js';
import { ClusterConfigDir } from './clusterConfigDir.js';
import { describeHa } from './describeHa.js';

let dir: ClusterConfigDir;
let redis: RedisProcess;

await describeHa('check: Redis eviction policy', { services: [], programs: [] }, () => {
  beforeAll(async () => {
    dir = ClusterConfigDir.create('opsdeck-check-eviction-');
    const port = await freePort();
    redis = await startRedisProcess({
      port,
      dir: dir.path,
      name: 'redis',
      args: ['--port', String(port), '--save', '', '--appendonly', 'no'],
    });
  });

  afterAll(async () => {
    await redis.kill();
    dir.remove();
  });

  const check = async (policy: string) => {
    const admin = redis.connect();
    try {
      await admin.config('SET', 'maxmemory-policy', policy);
    } finally {
      admin.disconnect();
    }
    const file = dir.write(policy, [`redis: redis://127.0.0.1:${redis.port}`, 'name: eviction']);
    return runOpsdeck(['check', '--config', file]);
  };

  it('allkeys-lru fails with the fix', async () => {
    const { code, stdout } = await check('allkeys-lru');
    expect(lines(stdout).filter((l) => l.includes('FAIL'))).toEqual([
      "  FAIL  maxmemory-policy allkeys-lru may evict Opsdeck's snapshots and fencing epoch: set noeviction (or volatile-lru)",
    ]);
    expect(code).toBe(1);
  });

  it('volatile-lru and noeviction pass', async () => {
    for (const policy of ['volatile-lru', 'noeviction']) {
      const { code, stdout } = await check(policy);
      expect(stdout).toContain(`ok    maxmemory-policy ${policy}`);
      expect(code).toBe(0);
    }
  });
});
