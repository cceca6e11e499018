import type { Row } from '../../common/protocol.js';
import { MemorySnapshotStore } from '../sections/SnapshotStore.js';
import type { DeliveryNode, Topology } from './Topology.js';

/** One server process: it always reads, versions live in memory, there is nobody to tell. */
export class SingleNode implements Topology {
  constructor(readonly store = new MemorySnapshotStore()) {}

  isLeader(): boolean {
    return true;
  }

  async nodeRows(own: () => Promise<Row>): Promise<Row[]> {
    return [await own()];
  }

  start(node: DeliveryNode): void {
    node.lead();
  }

  published(): void {
    // no other node
  }

  statusChanged(): void {
    // no other node
  }

  readiness(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
