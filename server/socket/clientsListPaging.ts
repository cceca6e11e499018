import type { NodeClients } from '../../common/clients.js';

/** The part [start, end) of one node's clients, in its own connection order, that a page needs. */
export interface NodeSlice {
  start: number;
  end: number;
}

/**
 * Which clients of which node one page holds, when the whole list is every node's clients one
 * node after the other (`counts` in that order): `offset` and `limit` over the whole list become
 * a slice per node; nodes the page does not reach are left out.
 */
export function pageSlices(
  counts: readonly NodeClients[],
  offset: number,
  limit: number,
): Map<string, NodeSlice> {
  const slices = new Map<string, NodeSlice>();
  let first = 0; // the position of this node's first client in the whole list
  const end = offset + limit;
  for (const { nodeId, clients } of counts) {
    const from = Math.max(offset, first);
    const to = Math.min(end, first + clients);
    if (from < to) slices.set(nodeId, { start: from - first, end: to - first });
    first += clients;
    if (first >= end) break;
  }
  return slices;
}
