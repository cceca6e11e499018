/**
 * A node of this version never leads beside a node of an older version that leads the same
 * cluster under the old key layout (`opsdeck:<name>:leader`, before the hash tag): it follows and
 * says why, in-process on the real Redis, and takes part in the lease once that key is gone.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { olderLayoutLeaseKey } from '../../server/cluster/olderLayoutLeader.js';
import { ControlledSection } from '../support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../support/inProcessServer.js';
import { deleteClusterKeys, SHARED_REDIS } from './helpers/fixture.js';
import { describeCluster } from './helpers/requirements.js';

const NAME = `older-${process.pid}-${randomBytes(3).toString('hex')}`;

await describeCluster('an older-version leader', { services: ['redis'] }, () => {
  const redis = new Redis(SHARED_REDIS);
  const lines: string[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  let server: InProcessServer | undefined;

  beforeAll(async () => {
    // What a node of the older version holds while it leads: `<nodeId>:<epoch>`, with a TTL.
    await redis.set(olderLayoutLeaseKey(NAME), 'old-node-1:7', 'PX', 60_000);
  });

  afterAll(async () => {
    await server?.close();
    await redis.del(olderLayoutLeaseKey(NAME));
    redis.disconnect();
    await deleteClusterKeys(SHARED_REDIS, NAME);
  });

  it('follows while it leads, says so once, and leads once it is gone', async () => {
    server = await startInProcessServer({
      sections: [new ControlledSection('a')],
      cluster: { redisUrl: SHARED_REDIS, name: NAME, leaseTtlMs: 1000 },
      log,
    });
    const told = () => lines.filter((l) => l.includes('an Opsdeck node of an older version'));
    await vi.waitFor(() => expect(told()).toHaveLength(1), { timeout: 15_000 });
    expect(told()[0]).toContain('(old-node-1) leads cluster');
    // Several lease periods later: still not leading, and said only once.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await server.metric('opsdeck_is_leader')).toBe(0);
    expect(told()).toHaveLength(1);

    await redis.del(olderLayoutLeaseKey(NAME));
    await vi.waitFor(async () => expect(await server?.metric('opsdeck_is_leader')).toBe(1), {
      timeout: 15_000,
    });
    expect(lines.some((l) => l.includes('the older-version leader is gone'))).toBe(true);
  });
});
