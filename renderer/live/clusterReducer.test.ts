import { describe, expect, it } from 'vitest';
import { CLUSTER_COLUMNS, type ClusterRow } from '../../common/clusterRow.js';
import type { SectionUpdate } from '../../common/protocol.js';
import { nextRates, RATE_MIN_INTERVAL_MS } from './clusterRates.js';
import { applyClusterUpdate } from './clusterReducer.js';
import { initialCluster, type ClusterState } from './state.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

const node = (queries: number, updatesSent: number): ClusterRow => ({
  nodeId: 'n1',
  host: 'h',
  pid: 1,
  startedAt: '2026-11-22T09:00:00.000Z',
  leader: true,
  clients: 1,
  subscriptions: 4,
  eventLoopLagMs: 21,
  heapUsedBytes: 1e7,
  rssBytes: 5e7,
  queries,
  updatesSent,
});

/** A `$cluster` update whose rows the server read `readMs` after T0. */
const cluster = (version: number, row: ClusterRow, readMs: number): SectionUpdate => ({
  section: '$cluster',
  version,
  rows: [row],
  columns: CLUSTER_COLUMNS,
  changedAt: new Date(T0 + readMs).toISOString(),
  queriedAt: new Date(T0 + readMs).toISOString(),
});

const lastPoint = (state: ClusterState) => state.history.n1?.at(-1);

describe('$cluster rates', () => {
  it('are not measured between two updates that reach the browser together', () => {
    // The subscribe's snapshot (read at 0 s) and the next read (2 s later on the server) arrive
    // 1 ms apart in the browser: 3 updates in 2 s, not 3,000 per second.
    let state = applyClusterUpdate(initialCluster, cluster(1, node(10, 100), 0), 50_000);
    expect(lastPoint(state)?.updatesPerSec).toBeUndefined();
    state = applyClusterUpdate(state, cluster(2, node(10, 103), 2000), 50_001);
    expect(lastPoint(state)?.updatesPerSec).toBeCloseTo(1.5);
    expect(lastPoint(state)?.queriesPerSec).toBe(0);
  });

  it('keep the rate measured before while the server-side interval is too short', () => {
    let state = applyClusterUpdate(initialCluster, cluster(1, node(0, 0), 0), 1000);
    state = applyClusterUpdate(state, cluster(2, node(4, 20), 2000), 3000);
    expect(lastPoint(state)?.updatesPerSec).toBeCloseTo(10);
    // A read on request 100 ms later (a leadership change), and the same snapshot resent on a
    // resubscribe: neither is an interval to divide by.
    state = applyClusterUpdate(state, cluster(3, node(4, 23), 2100), 3100);
    expect(lastPoint(state)?.updatesPerSec).toBeCloseTo(10);
    state = applyClusterUpdate(state, cluster(3, node(4, 23), 2100), 3101);
    expect(lastPoint(state)?.updatesPerSec).toBeCloseTo(10);
    // The next regular read measures from the last baseline (2 s), counting the 3 in between.
    state = applyClusterUpdate(state, cluster(4, node(6, 30), 4000), 5000);
    expect(lastPoint(state)?.updatesPerSec).toBeCloseTo(5);
    expect(lastPoint(state)?.queriesPerSec).toBeCloseTo(1);
  });

  it('start again without a rate when a counter went back', () => {
    let state = applyClusterUpdate(initialCluster, cluster(1, node(50, 500), 0), 0);
    state = applyClusterUpdate(state, cluster(2, node(60, 520), 2000), 2000);
    state = applyClusterUpdate(state, cluster(3, node(1, 2), 4000), 4000);
    expect(lastPoint(state)?.updatesPerSec).toBeUndefined();
    state = applyClusterUpdate(state, cluster(4, node(3, 6), 6000), 6000);
    expect(lastPoint(state)?.updatesPerSec).toBeCloseTo(2);
  });

  it('fall back to the browser clock only when queriedAt cannot be read', () => {
    const odd = (u: SectionUpdate): SectionUpdate => ({ ...u, queriedAt: 'not a time' });
    let state = applyClusterUpdate(initialCluster, odd(cluster(1, node(0, 0), 0)), 10_000);
    state = applyClusterUpdate(state, odd(cluster(2, node(0, 8), 0)), 10_001);
    expect(lastPoint(state)?.updatesPerSec).toBeUndefined();
    state = applyClusterUpdate(state, odd(cluster(3, node(0, 8), 0)), 14_000);
    expect(lastPoint(state)?.updatesPerSec).toBeCloseTo(2);
  });

  it('never divide by less than the minimum interval', () => {
    const base = { at: 0, queries: 0, updatesSent: 0 };
    const soon = nextRates(base, undefined, {
      at: RATE_MIN_INTERVAL_MS - 1,
      queries: 9,
      updatesSent: 9,
    });
    expect(soon).toEqual({ base, rates: undefined });
    const later = nextRates(base, undefined, {
      at: RATE_MIN_INTERVAL_MS,
      queries: 3,
      updatesSent: 3,
    });
    expect(later.rates?.updatesPerSec).toBeCloseTo(2);
  });
});
