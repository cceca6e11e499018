import { expect, vi } from 'vitest';
import type { Row } from '../../../common/protocol.js';
import type { ControlledSection } from '../../support/controlledSection.js';
import type { InProcessServer } from '../../support/inProcessServer.js';

/** One node of an in-process cluster test: a server and the section it reads. */
export interface InProcessNode {
  server: InProcessServer;
  section: ControlledSection;
}

async function isLeader(node: InProcessNode): Promise<boolean> {
  return (await node.server.metric('opsdeck_is_leader')) === 1;
}

/** Waits for exactly one leader among the open nodes; returns [leader, ...followers]. */
export async function roles<N extends InProcessNode>(open: N[]): Promise<[N, ...N[]]> {
  return vi.waitFor(
    async () => {
      const flags = await Promise.all(open.map(isLeader));
      const leader = open.find((_, i) => flags[i]);
      expect(flags.filter(Boolean)).toHaveLength(1);
      if (!leader) throw new Error('no leader');
      return [leader, ...open.filter((n) => n !== leader)];
    },
    { timeout: 15_000, interval: 50 },
  );
}

/**
 * Sets the rows on every node (whichever of them reads next) and tells `leader` its section
 * changed.
 */
export function changeRows(nodes: readonly InProcessNode[], leader: InProcessNode, rows: Row[]) {
  for (const n of nodes) n.section.rows = rows;
  leader.server.change(leader.section.id);
}

/**
 * Starts two nodes and waits until each is ready (it has read the stored snapshots and Redis
 * answers); returns them as [leader, follower].
 */
export async function startPair<N extends InProcessNode>(start: () => Promise<N>): Promise<[N, N]> {
  const pair: N[] = await Promise.all([start(), start()]);
  const [leader, follower] = (await roles(pair)) as [N, N];
  for (const n of pair) {
    await vi.waitFor(async () => expect((await fetch(`${n.server.url}/readyz`)).status).toBe(200), {
      timeout: 10_000,
      interval: 20,
    });
  }
  return [leader, follower];
}
