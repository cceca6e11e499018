import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SectionStatus, SectionUpdate } from '../../common/protocol.js';
import { silentLogger } from '../log.js';
import type { QueryResult } from '../sources/DataSource.js';
import { SectionEngine } from './SectionEngine.js';
import { MemorySnapshotStore } from './SnapshotStore.js';

/** A section whose rows the test controls; reads are counted. */
function controlledSection(id: string) {
  const state = { value: 1, reads: 0, fail: undefined as string | undefined, rows: 20 };
  return {
    state,
    spec: {
      info: { id, title: id, view: { type: 'table' as const }, mode: 'push' as const },
      read(): Promise<QueryResult> {
        state.reads += 1;
        if (state.fail) return Promise.reject(new Error(state.fail));
        const rows = Array.from({ length: state.rows }, (_, i) => ({ i, v: state.value }));
        return Promise.resolve({
          rows,
          columns: [
            { name: 'i', type: 'number' },
            { name: 'v', type: 'number' },
          ],
          truncated: false,
        });
      },
    },
  };
}

function engineFor(...sections: ReturnType<typeof controlledSection>[]) {
  const engine = new SectionEngine({
    specs: sections.map((s) => s.spec),
    store: new MemorySnapshotStore(() => 0), // plain 1, 2, 3 versions: easier to read here
    log: silentLogger(),
    settleMs: 0,
    minGapMs: 0,
    backoff: { initialMs: 10, maxMs: 20 },
  });
  const updates: SectionUpdate[] = [];
  const statuses: SectionStatus[] = [];
  engine.on('update', (u) => updates.push(u));
  engine.on('status', (s) => statuses.push(s));
  return { engine, updates, statuses };
}

/** Fake time: settle, retries and backoff run as fast as the machine, whatever its load. */
const settle = () => vi.advanceTimersByTimeAsync(30);

afterEach(() => {
  vi.useRealTimers();
});

describe('SectionEngine', () => {
  it('publishes version 1, then a new version only when the rows change', async () => {
    vi.useFakeTimers();
    const a = controlledSection('a');
    const { engine, updates } = engineFor(a);
    engine.request('a');
    await settle();
    engine.request('a'); // same rows
    await settle();
    a.state.value = 2;
    engine.request('a');
    await settle();
    expect(a.state.reads).toBe(3);
    expect(updates.map((u) => u.version)).toEqual([1, 2]);
    expect(engine.snapshot('a')?.rows[0]).toEqual({ i: 0, v: 2 });
    expect(Date.parse(updates[0]!.changedAt)).toBeLessThanOrEqual(
      Date.parse(updates[0]!.queriedAt),
    );
    engine.stop();
  });

  it('reports a failing section once, keeps its last snapshot, retries and recovers', async () => {
    vi.useFakeTimers();
    const a = controlledSection('a');
    const b = controlledSection('b');
    const { engine, statuses, updates } = engineFor(a, b);
    engine.requestAll();
    await settle();
    a.state.fail = 'relation "orders" does not exist';
    a.state.value = 5;
    engine.requestAll();
    await vi.advanceTimersByTimeAsync(80);
    expect(statuses).toEqual([
      expect.objectContaining({
        section: 'a',
        healthy: false,
        error: 'relation "orders" does not exist',
      }),
    ]);
    expect(statuses[0]?.lastOkAt).toBeDefined();
    expect(a.state.reads).toBeGreaterThan(2); // retried with backoff
    expect(engine.snapshot('a')?.version).toBe(1);
    expect(engine.unhealthy().map((s) => s.section)).toEqual(['a']);
    // the other section is unaffected
    expect(engine.status('b')?.healthy).toBe(true);
    a.state.fail = undefined;
    await vi.advanceTimersByTimeAsync(60);
    expect(statuses.at(-1)).toMatchObject({ section: 'a', healthy: true });
    expect(updates.filter((u) => u.section === 'a').map((u) => u.version)).toEqual([1, 2]);
    engine.stop();
  });

  it('keeps retained memory flat over 100,000 changes', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const a = controlledSection('a');
    const { engine } = engineFor(a);
    let published = 0;
    const drive = async (n: number) => {
      for (let i = 0; i < n; i++) {
        a.state.value += 1;
        const target = published + 1;
        engine.request('a');
        while (published < target) await new Promise((r) => setImmediate(r));
      }
    };
    // Count without keeping: the helper's listener would retain every update.
    engine.removeAllListeners('update');
    engine.on('update', () => (published += 1));
    await drive(10_000); // warm up: JIT, pools, first snapshots
    gc();
    const before = process.memoryUsage().heapUsed;
    await drive(100_000);
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(engine.snapshot('a')?.version).toBe(110_000);
    expect(after - before).toBeLessThan(2 * 1024 * 1024);
    engine.stop();
  }, 60_000);
});
