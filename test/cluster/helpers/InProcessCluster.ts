import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { ClusterSettings } from '../../../server/cluster/ClusterRuntime.js';
import type { ControlledSection } from '../../support/controlledSection.js';
import { startInProcessServer, type InProcessOptions } from '../../support/inProcessServer.js';
import { deleteClusterKeys, SHARED_REDIS } from './fixture.js';
import { startPair, type InProcessNode } from './inProcessNodes.js';

/**
 * The in-process nodes of one test file, in a cluster of their own on the shared Redis (the name
 * `<prefix>-<pid>-<random>`, a 1 s lease). `nodes` lists every node started and not yet closed:
 * a test that closes one takes it out of the list.
 */
export class InProcessCluster {
  readonly name: string;
  readonly settings: ClusterSettings;
  readonly nodes: InProcessNode[] = [];

  constructor(prefix: string) {
    this.name = `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.settings = { redisUrl: SHARED_REDIS, name: this.name, leaseTtlMs: 1000 };
  }

  /** Starts a node reading `section` (or `options.sections`) in the cluster and lists it. */
  async start(
    section: ControlledSection,
    options: Partial<Omit<InProcessOptions, 'cluster'>> = {},
  ): Promise<InProcessNode> {
    const server = await startInProcessServer({
      sections: [section],
      ...options,
      cluster: this.settings,
    });
    const node = { server, section };
    this.nodes.push(node);
    return node;
  }

  /**
   * In a describe block: before its tests, starts two nodes with `start` (startPair: both ready,
   * roles known); after them, stop(). The pair is read once the tests run.
   */
  usePair<N extends InProcessNode>(
    start: () => Promise<N>,
  ): { readonly leader: N; readonly follower: N } {
    let pair: [N, N] | undefined;
    beforeAll(async () => {
      pair = await startPair(start);
    });
    afterAll(async () => {
      await this.stop();
    });
    const started = (): [N, N] => {
      if (!pair) throw new Error('in-process cluster: the pair is not started');
      return pair;
    };
    return {
      get leader() {
        return started()[0];
      },
      get follower() {
        return started()[1];
      },
    };
  }

  /** Closes every listed node and deletes the cluster's keys from Redis. */
  async stop(): Promise<void> {
    for (const n of this.nodes) await n.server.close();
    await deleteClusterKeys(SHARED_REDIS, this.name);
  }
}
