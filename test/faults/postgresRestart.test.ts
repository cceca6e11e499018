/**
 * Issue 15, fault 3: PostgreSQL restarts (`pg_ctl restart -m fast`: every connection terminated)
 * under the cluster. The leader's LISTEN connection comes back (one `opsdeck-listen` session
 * again), and every change made after the restart reaches every client, including the ones made
 * before LISTEN was back (its resync re-reads every section). Then the invariants of every fault.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../helpers/client.js';
import { describeFaults, FaultWorld } from './helpers/faultWorld.js';

const AFTER = 20;

const world = new FaultWorld();

async function listeners(): Promise<number> {
  const rows = await world.postgres.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'opsdeck-listen'",
  );
  return Number(rows[0]?.['n']);
}

describeFaults('fault: PostgreSQL restart under 3 nodes', () => {
  beforeAll(async () => {
    await world.start();
  });
  afterAll(() => world.stop());

  it('LISTEN comes back and every change after the restart is delivered', async () => {
    const warmUp = await world.insertEvent('warm-up');
    await waitFor('the warm-up everywhere', () => world.allHave(warmUp), 30_000);
    expect(await listeners()).toBe(1); // the leader's only

    await world.pgFaults.restart();
    const restartedAt = Date.now();
    // At once, before the leader can have noticed: the resync after LISTEN must find it.
    const first = await world.insertEvent('right after the restart');
    await waitFor(
      'the first change after the restart everywhere',
      () => world.allHave(first),
      30_000,
    );
    const firstMs = Date.now() - restartedAt;
    await waitFor('the LISTEN connection back', async () => (await listeners()) === 1, 30_000);

    let last = first;
    for (let i = 0; i < AFTER; i++) {
      last = await world.insertEvent(`after the restart ${i}`);
      await new Promise((r) => setTimeout(r, 50)); // changes spread over a second, not one batch
    }
    await waitFor('every later change everywhere', () => world.allHave(last), 30_000);
    console.info(
      `PostgreSQL restart: the first change after it reached all clients in ${firstMs} ms; ` +
        `${AFTER} more delivered`,
    );
    // Every section healthy again on every client that was told otherwise.
    for (const c of world.clients)
      for (const id of world.sectionIds) {
        const last = c.sectionStatuses.filter((s) => s.value.section === id).at(-1);
        if (last) expect(last.value.healthy).toBe(true);
      }
    await world.assertInvariants(last);
  });
});
