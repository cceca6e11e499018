/**
 * Issue 15, fault 5: kill -9 a follower. Its clients move to the other nodes and subscribe there
 * with the versions they hold (`have`): they are sent nothing they hold, and the move costs no
 * database query at all (snapshots come from memory). At the end the invariants of every fault hold.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../helpers/client.js';
import { sectionQueries, waitForLeader } from '../cluster/helpers/nodes.js';
import { describeFaults, FaultWorld, SECTION_IDS } from './helpers/faultWorld.js';

const world = new FaultWorld();

describeFaults('fault: follower kill -9', () => {
  beforeAll(async () => {
    await world.start();
  });
  afterAll(() => world.stop());

  it('its clients resync elsewhere with have, with zero queries and nothing resent', async () => {
    const warmUp = await world.insertEvent('warm-up');
    await waitFor('the warm-up everywhere', () => world.allHave(warmUp), 30_000);
    const leader = await waitForLeader(world.nodes);
    const follower = world.nodes.find((n) => n !== leader && world.on(n).length > 0);
    if (!follower) throw new Error('no follower with clients');
    const victims = world.on(follower);
    const sessionsBefore = new Map(victims.map((c) => [c, c.sessions.length]));
    const survivors = world.nodes.filter((n) => n !== follower);
    const queriesBefore = await sectionQueries(survivors);

    await world.cluster.kill(follower);
    await waitFor(
      'every victim subscribed on a survivor',
      () => victims.every((c) => c.sessions.length > sessionsBefore.get(c)!),
      30_000,
    );
    // Every message sent after those subscribes has arrived.
    await Promise.all(victims.map((c) => c.roundTrip()));
    expect(await sectionQueries(survivors)).toEqual(queriesBefore);
    for (const c of victims) {
      const index = sessionsBefore.get(c)!;
      const session = c.sessions[index]!;
      expect(survivors.map((n) => n.nodeId)).toContain(session.nodeId);
      expect(Object.keys(session.have).sort()).toEqual([...SECTION_IDS].sort());
      // It held the latest of everything: nothing was sent again.
      expect(c.receivedIn(index)).toEqual([]);
    }

    const after = await world.insertEvent('after the kill');
    await world.assertInvariants(after);
    for (const c of world.clients.filter((x) => !victims.includes(x)))
      expect(c.disconnects).toBe(0);
  });
});
