/**
 * Issue 15, fault 1: the cluster's Redis hangs (SIGSTOP for 10 s: TCP stays open, nothing
 * answers). Every client is told within 5 s (`server-status` degraded: the nodes' bounded PING of
 * Redis, ClusterRuntime), keeps its data, and once Redis continues every client is told it is over
 * and gets the change made meanwhile; at the end the invariants of every fault hold.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../helpers/client.js';
import { describeFaults, FaultWorld } from './helpers/faultWorld.js';

/** What the issue asks: every client told within 5 s of the fault. */
const TOLD_WITHIN_MS = 5000;
/**
 * "Recover after SIGCONT quickly": the change made during the pause on every client within this
 * (a leader is elected within a lease tick, 1 s, then reads; measured ~0.1 s).
 */
const RECOVERED_WITHIN_MS = 5000;
const PAUSE_MS = 10_000;

const world = new FaultWorld();

describeFaults('fault: Redis SIGSTOP for 10 s under 3 nodes and 30 clients', () => {
  beforeAll(async () => {
    await world.start();
  });
  afterAll(() => world.stop());

  it('clients are told within 5 s, recover after SIGCONT, and nothing is lost or repeated', async () => {
    const warmUp = await world.insertEvent('warm-up');
    await waitFor('the warm-up everywhere', () => world.allHave(warmUp), 30_000);
    const statusesBefore = world.clients.map((c) => c.serverStatuses.length);

    const pausedAt = Date.now();
    world.redis.pause();
    // A change during the pause: no leader can publish it until Redis answers again.
    const during = await world.insertEvent('during the pause');
    await waitFor(
      'every client told the cluster is degraded',
      () => world.clients.every((c) => c.serverStatuses.at(-1)?.value.degraded === true),
      PAUSE_MS,
    );
    const toldMs = world.clients.map((c, i) => {
      const told = c.serverStatuses.slice(statusesBefore[i]).find((s) => s.value.degraded);
      return told ? told.at - pausedAt : Infinity;
    });
    await waitFor(
      'the pause to last 10 s',
      () => Date.now() - pausedAt >= PAUSE_MS,
      PAUSE_MS + 5000,
      100,
    );

    world.redis.resume();
    const resumedAt = Date.now();
    await waitFor(
      'every client told the cluster is whole again',
      () => world.clients.every((c) => c.serverStatuses.at(-1)?.value.degraded === false),
      30_000,
    );
    await waitFor(
      'the change made during the pause everywhere',
      () => world.allHave(during),
      30_000,
    );
    const recoveredMs = Date.now() - resumedAt;
    console.info(
      `Redis SIGSTOP: clients told after ${Math.min(...toldMs)}..${Math.max(...toldMs)} ms; ` +
        `after SIGCONT the change made during the pause reached all ${world.clients.length} ` +
        `clients in ${recoveredMs} ms`,
    );
    expect(Math.max(...toldMs)).toBeLessThan(TOLD_WITHIN_MS);
    expect(recoveredMs).toBeLessThan(RECOVERED_WITHIN_MS);
    // Each client heard exactly one degraded and one recovered message, and never disconnected.
    world.clients.forEach((c, i) => {
      expect(c.serverStatuses.slice(statusesBefore[i]).map((s) => s.value.degraded)).toEqual([
        true,
        false,
      ]);
      expect(c.disconnects).toBe(0);
    });

    const after = await world.insertEvent('after the pause');
    await world.assertInvariants(after);
  });
});
