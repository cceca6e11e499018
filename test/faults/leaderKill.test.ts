/**
 * Issue 15, fault 4: kill -9 the leader in the middle of a 500-insert burst. Another node takes
 * over, the dead leader's clients move to the survivors with `have`, and at the end every client
 * holds the last insert and the latest version of every section, having never seen a version twice
 * or going back, with never two leaders at once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../helpers/client.js';
import { waitForLeader } from '../cluster/helpers/nodes.js';
import { describeFaults, FaultWorld } from './helpers/faultWorld.js';

const BURST = 500;
/** The leader dies after this many inserts of the burst. */
const KILL_AFTER = 150;

const world = new FaultWorld();

describeFaults('fault: leader kill -9 during a 500-insert burst', () => {
  beforeAll(async () => {
    await world.start();
  });
  afterAll(() => world.stop());

  it('another node takes over; every client ends at the last insert, nothing repeated', async () => {
    const leader = await waitForLeader(world.nodes);
    const orphans = world.on(leader);
    expect(orphans.length).toBeGreaterThan(0);
    const sessionsBefore = new Map(orphans.map((c) => [c, c.sessions.length]));

    let last = 0;
    for (let i = 1; i <= BURST; i++) {
      last = await world.insertEvent(`burst ${i}`);
      if (i === KILL_AFTER) await world.cluster.kill(leader);
    }
    const survivors = world.cluster.live();
    const next = await waitForLeader(survivors, 30_000);
    expect(next).not.toBe(leader);
    await waitFor(
      'the dead leader’s clients on the survivors',
      () => orphans.every((c) => c.sessions.length > sessionsBefore.get(c)!),
      30_000,
    );
    for (const c of orphans) expect(survivors.map((n) => n.nodeId)).toContain(c.session?.nodeId);
    await world.assertInvariants(last);
    // Nobody else lost its connection.
    for (const c of world.clients.filter((x) => !orphans.includes(x)))
      expect(c.disconnects).toBe(0);
  });
});
