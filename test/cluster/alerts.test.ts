/**
 * Alerts in a cluster, in-process: two nodes (startServer with `cluster`) sharing the real Redis
 * under a key prefix of their own. Only the leader evaluates; a follower's clients get the
 * leader's alert events (and the firing ones on subscribe), a node that joins later learns the
 * firing ones, and one that missed a resolution catches up; after a failover the new leader takes the firing alert over and resolves it, rather
 * than firing it again.
 */
import { expect, it, vi } from 'vitest';
import type { AlertEvent } from '../../common/alerts.js';
import { request } from '../helpers/client.js';
import { ControlledSection } from '../support/controlledSection.js';
import { InProcessCluster } from './helpers/InProcessCluster.js';
import { changeRows, roles, type InProcessNode } from './helpers/inProcessNodes.js';
import { describeCluster } from './helpers/requirements.js';

/** vi.waitFor with room for a loaded machine (its default gives up after 1 s). */
function eventually<T>(
  fn: () => T | Promise<T>,
  options: { timeout?: number; interval?: number } = {},
): Promise<T> {
  return vi.waitFor(fn, { timeout: 10_000, interval: 20, ...options });
}

const cluster = new InProcessCluster('alerts');
const nodes = cluster.nodes;
type Node = InProcessNode;

function startNode(): Promise<Node> {
  const section = new ControlledSection(
    'queue',
    [{ waiting: 0 }],
    [{ name: 'waiting', type: 'number' }],
  );
  return cluster.start(section, {
    alerts: [
      {
        id: 'queue-long',
        section: 'queue',
        when: 'waiting > 10',
        severity: 'critical',
        message: '{waiting} waiting',
      },
    ],
  });
}

async function alertsOn(node: Node): Promise<AlertEvent[]> {
  const socket = await node.server.client();
  const events: AlertEvent[] = [];
  socket.on('alert', (event) => events.push(event));
  await request(socket, 'subscribe', { sections: ['queue'] });
  return events;
}

/** The node's `opsdeck_alerts_firing{severity="critical"}`. */
const criticalFiring = (node: Node) =>
  node.server.metric('opsdeck_alerts_firing', { severity: 'critical' });

const states = (events: AlertEvent[]) => events.map((e) => `${e.id} ${e.state}`);

await describeCluster('alerts in a cluster', { services: ['redis'] }, () => {
  const pair = cluster.usePair(startNode);

  it("a follower's clients get the leader's alert; a later subscriber gets it on subscribe", async () => {
    const onFollower = await alertsOn(pair.follower);
    const onLeader = await alertsOn(pair.leader);
    changeRows(nodes, pair.leader, [{ waiting: 12 }]);
    await eventually(() => {
      expect(states(onLeader)).toEqual(['queue-long firing']);
      expect(states(onFollower)).toEqual(['queue-long firing']);
    });
    expect(onFollower[0]).toEqual(onLeader[0]); // the same event: value, since, message
    expect(onFollower[0]).toMatchObject({ value: 12, message: '12 waiting' });
    expect(pair.follower.section.reads).toBe(0);
    expect(await criticalFiring(pair.follower)).toBe(1);
    expect(await pair.follower.server.metric('opsdeck_alerts_fired_total')).toBe(0); // decided elsewhere

    const late = await alertsOn(pair.follower);
    await eventually(() => expect(late).toEqual(onLeader));
  });

  it('a node that joins later learns the firing alerts from the leader (repeated every 10 s)', async () => {
    const joined = await startNode();
    try {
      const events = await alertsOn(joined);
      await eventually(() => expect(states(events)).toEqual(['queue-long firing']), {
        timeout: 25_000,
        interval: 100,
      });
      expect(joined.section.reads).toBe(0);
    } finally {
      await joined.server.close();
      nodes.splice(nodes.indexOf(joined), 1);
    }
  }, 40_000);

  it("a follower resolves what the leader's repeated firing set no longer has", async () => {
    const events = await alertsOn(pair.follower);
    await eventually(() => expect(states(events)).toEqual(['queue-long firing']));
    // As if the follower had missed a resolution while Redis was away: a firing the leader lacks.
    const ghost: AlertEvent = { ...(events[0] as AlertEvent), id: 'ghost', message: 'gone' };
    pair.leader.server.running.io.serverSideEmit('opsdeck:alert', ghost);
    await eventually(
      () => expect(states(events)).toEqual(['queue-long firing', 'ghost firing', 'ghost resolved']),
      { timeout: 25_000, interval: 100 },
    );
    expect(await criticalFiring(pair.follower)).toBe(1);
  }, 40_000);

  it('after a failover the new leader resolves the firing alert instead of firing it again', async () => {
    const onFollower = await alertsOn(pair.follower);
    await eventually(() => expect(states(onFollower)).toEqual(['queue-long firing']));
    await pair.leader.server.close();
    nodes.splice(nodes.indexOf(pair.leader), 1);
    const [next] = await roles(nodes);
    expect(next).toBe(pair.follower);
    // Let the new leader take the firing set over (its first tick) before the condition changes.
    await eventually(async () => {
      pair.follower.server.running.alerts.evaluateNow();
      expect(await criticalFiring(pair.follower)).toBe(1);
    });
    changeRows(nodes, pair.follower, [{ waiting: 1 }]);
    await eventually(
      () => expect(states(onFollower)).toEqual(['queue-long firing', 'queue-long resolved']),
      { timeout: 10_000 },
    );
    expect(onFollower[1]).toMatchObject({ value: 12, state: 'resolved' });
    expect(await criticalFiring(pair.follower)).toBe(0);
  });
});
