import type { Row, SectionStatus, SectionUpdate } from '../../common/protocol.js';
import type { SnapshotStore } from '../sections/SnapshotStore.js';

/**
 * What the delivery core lets a topology do. The topology decides _when_ this node reads and which
 * updates from elsewhere reach its clients; the core reads and delivers.
 */
export interface DeliveryNode {
  /** The configured sections' ids (not `$cluster`). */
  readonly sectionIds: readonly string[];
  /** This node's `$cluster` row now. */
  ownRow(): Promise<Row>;
  /** Becomes the node that watches and reads: change feeds started, engine active. */
  lead(): void;
  /** Stops watching and reading (queued reads are dropped). */
  follow(): Promise<void>;
  /** A version from elsewhere (another node, Redis) to this node's subscribers, once. */
  deliver(update: SectionUpdate): void;
  /** A status decided elsewhere (by the leader): kept for subscribes and sent to the room. */
  relayStatus(status: SectionStatus): void;
  /** Re-reads `$cluster` now (leadership changed: every view should say so at once). */
  refreshNodes(): void;
}

/**
 * How this node takes part in the deployment: alone (SingleNode) or as one of several processes
 * sharing Redis (ClusterNode). The delivery core has no other knowledge of the mode.
 */
export interface Topology {
  /** Where versions are assigned: memory alone, Redis (fenced) in a cluster. */
  readonly store: SnapshotStore;
  /** True while this node is the one that reads (always, alone). */
  isLeader(): boolean;
  /** The `$cluster` rows: this node's own, or every live node's. */
  nodeRows(own: () => Promise<Row>): Promise<Row[]>;
  /** Starts taking part; calls `node.lead()` whenever this node is to read. */
  start(node: DeliveryNode): void;
  /** A version this node published: the other nodes deliver it to their own clients. */
  published(update: SectionUpdate): void;
  /** A status this node decided: the other nodes relay it to their clients. */
  statusChanged(status: SectionStatus): void;
  /** Rejects with the reason while this node cannot serve complete data (`/readyz`). */
  readiness(): Promise<void>;
  close(): Promise<void>;
}
