import { describe, expect, it } from 'vitest';
import type { SectionInfo, SectionUpdate } from '../../common/protocol.js';
import { applyClusterUpdate } from './clusterReducer.js';
import {
  applyCatalog,
  applyStatus,
  applyUpdate,
  clearStatuses,
  haveVersions,
  markForResync,
  rowKey,
} from './sectionsReducer.js';
import { CLUSTER_HISTORY, initialCluster, initialSections } from './state.js';

const info = (id: string): SectionInfo => ({
  id,
  title: id,
  view: { type: 'table' },
  mode: 'push',
});
const update = (section: string, version: number, rows: SectionUpdate['rows']): SectionUpdate => ({
  section,
  version,
  rows,
  columns: [],
  changedAt: '2026-11-22T10:00:00.000Z',
  queriedAt: '2026-11-22T10:00:00.010Z',
});

describe('sections reducer', () => {
  const catalog = applyCatalog(initialSections, [info('a'), info('$cluster'), info('b')]);

  it('keeps catalog order without $cluster', () => {
    expect(catalog.order).toEqual(['a', 'b']);
  });

  it('applies newer versions only and remembers the previous one', () => {
    const one = applyUpdate(catalog, update('a', 5, [{ id: 1, v: 'x' }]), 1000);
    const stale = applyUpdate(one, update('a', 4, [{ id: 1, v: 'old' }]), 1001);
    expect(stale).toBe(one);
    const two = applyUpdate(
      one,
      update('a', 6, [
        { id: 2, v: 'y' },
        { id: 1, v: 'x2' },
        { id: 3, v: 'z' },
      ]),
      1002,
    );
    expect(two.byId.a?.previous?.version).toBe(5);
    expect(two.byId.a?.receivedAt).toBe(1002);
    // new rows and changed rows are highlighted, unchanged ones not
    expect(two.byId.a?.changedRowKeys).toEqual([
      rowKey({ id: 2 }),
      rowKey({ id: 1 }),
      rowKey({ id: 3 }),
    ]);
    const three = applyUpdate(
      two,
      update('a', 7, [
        { id: 2, v: 'y' },
        { id: 1, v: 'x2' },
      ]),
      1003,
    );
    expect(three.byId.a?.changedRowKeys).toEqual([]);
    expect(haveVersions(three)).toEqual({ a: 7 });
  });

  it('ignores updates and statuses for sections not in the catalog', () => {
    expect(applyUpdate(catalog, update('zzz', 1, []), 1)).toBe(catalog);
    expect(applyStatus(catalog, { section: 'zzz', healthy: false })).toBe(catalog);
    expect(
      applyStatus(catalog, { section: 'b', healthy: false, error: 'boom' }).byId.b?.status?.error,
    ).toBe('boom');
  });

  it('keeps data of sections that survive a new catalog', () => {
    const withData = applyUpdate(catalog, update('b', 1, [{ id: 1 }]), 5);
    const next = applyCatalog(withData, [info('b'), info('c')]);
    expect(next.order).toEqual(['b', 'c']);
    expect(next.byId.b?.update?.version).toBe(1);
    expect(next.byId.a).toBeUndefined();
  });
});

describe('sections reducer across reconnects', () => {
  const catalog = applyCatalog(initialSections, [info('kpis')]);
  const kpi = (version: number, revenue: number) => update('kpis', version, [{ revenue }]);

  it('a restarted server resending the same rows under a new version keeps the real previous value', () => {
    // before the outage: 100 -> 120 (the tile says "up 20")
    let state = applyUpdate(applyUpdate(catalog, kpi(5, 100), 1), kpi(6, 120), 2);
    // the server restarts: same rows, version from its clock
    state = applyUpdate(state, kpi(1_000_000, 120), 3);
    expect(state.byId.kpis?.update?.version).toBe(1_000_000);
    expect(state.byId.kpis?.previous?.rows).toEqual([{ revenue: 100 }]);
    expect(state.byId.kpis?.changedRowKeys).toEqual([]);
    // the next real change compares with the last value seen before the outage
    state = applyUpdate(state, kpi(1_000_001, 150), 4);
    expect(state.byId.kpis?.previous?.rows).toEqual([{ revenue: 120 }]);
  });

  it('keeps data for a resync after a switch to another address of the same server', () => {
    const before = applyStatus(applyUpdate(catalog, kpi(900, 120), 1), {
      section: 'kpis',
      healthy: false,
      error: 'boom',
    });
    const carried = markForResync(before);
    expect(carried.byId.kpis?.update?.version).toBe(900);
    expect(carried.byId.kpis?.status).toBeUndefined(); // the new server says so again if it still fails
    expect(haveVersions(carried)).toEqual({}); // ask for everything
    // the other process numbers lower: still accepted once, and the delta is against 120
    const after = applyUpdate(carried, kpi(50, 130), 2);
    expect(after.byId.kpis?.update?.version).toBe(50);
    expect(after.byId.kpis?.previous?.rows).toEqual([{ revenue: 120 }]);
    expect(after.byId.kpis?.resync).toBeUndefined();
    expect(applyUpdate(after, kpi(49, 1), 3)).toBe(after);
  });

  it('forgets statuses before resubscribing: the server resends only failing ones', () => {
    const failing = applyStatus(catalog, { section: 'kpis', healthy: false, error: 'boom' });
    expect(clearStatuses(failing).byId.kpis?.status).toBeUndefined();
    expect(clearStatuses(catalog)).toBe(catalog);
  });
});

describe('cluster reducer', () => {
  const node = (queries: number, updatesSent: number) => ({
    nodeId: 'n1',
    host: 'h',
    pid: 1,
    startedAt: '2026-11-22T10:00:00.000Z',
    leader: true,
    clients: 3,
    subscriptions: 9,
    eventLoopLagMs: 1.5,
    heapUsedBytes: 1e7,
    rssBytes: 5e7,
    queries,
    updatesSent,
  });

  it('derives per-second rates and caps the history', () => {
    let state = initialCluster;
    for (let i = 0; i < CLUSTER_HISTORY + 20; i++) {
      const read = new Date(Date.parse('2026-11-22T10:00:00.000Z') + i * 2000).toISOString();
      state = applyClusterUpdate(
        state,
        { ...update('$cluster', i + 1, [node(i * 10, i * 100)]), queriedAt: read },
        i * 2000,
      );
    }
    const history = state.history.n1 ?? [];
    expect(history).toHaveLength(CLUSTER_HISTORY);
    expect(history.at(-1)?.queriesPerSec).toBeCloseTo(5);
    expect(history.at(-1)?.updatesPerSec).toBeCloseTo(50);
    expect(state.nodes).toHaveLength(1);
  });

  it('drops the history of nodes that left', () => {
    let state = applyClusterUpdate(
      initialCluster,
      update('$cluster', 1, [node(0, 0), { ...node(0, 0), nodeId: 'n2' }]),
      0,
    );
    state = applyClusterUpdate(state, update('$cluster', 2, [node(1, 1)]), 2000);
    expect(Object.keys(state.history)).toEqual(['n1']);
  });
});
