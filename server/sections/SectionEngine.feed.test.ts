import { describe, expect, it, vi } from 'vitest';
import type { SectionStatus } from '../../common/protocol.js';
import { silentLogger } from '../log.js';
import type { QueryResult } from '../sources/DataSource.js';
import { SectionEngine } from './SectionEngine.js';
import { MemorySnapshotStore } from './SnapshotStore.js';

/** A section whose single value the test sets; `gate` holds a read open until released. */
function section(id: string) {
  const state = { value: 1, reads: 0, gate: undefined as Promise<void> | undefined };
  const spec = {
    info: { id, title: id, view: { type: 'stat' as const }, mode: 'notify' as const },
    async read(): Promise<QueryResult> {
      state.reads += 1;
      const value = state.value;
      await state.gate;
      return { rows: [{ v: value }], columns: [{ name: 'v', type: 'number' }], truncated: false };
    },
  };
  return { state, spec };
}

function setup() {
  const a = section('a');
  const engine = new SectionEngine({
    specs: [a.spec],
    store: new MemorySnapshotStore(() => 0),
    log: silentLogger(),
    settleMs: 0,
    minGapMs: 0,
  });
  const missed: string[] = [];
  const statuses: SectionStatus[] = [];
  engine.on('missed', (id) => missed.push(id));
  engine.on('status', (s) => statuses.push(s));
  return { a, engine, missed, statuses };
}

describe('SectionEngine: change-feed truth', () => {
  it('a re-check that finds new rows is a missed change; a notified change or a resync is not', async () => {
    const { a, engine, missed } = setup();
    engine.request('a', Date.now(), 'resync'); // first read: nothing to compare with
    await vi.waitFor(() => expect(engine.snapshot('a')?.version).toBe(1));
    a.state.value = 2;
    engine.request('a', Date.now(), 'change');
    await vi.waitFor(() => expect(engine.snapshot('a')?.version).toBe(2));
    a.state.value = 3;
    engine.request('a', Date.now(), 'resync');
    await vi.waitFor(() => expect(engine.snapshot('a')?.version).toBe(3));
    engine.request('a', Date.now(), 'recheck'); // unchanged rows: nothing missed
    await vi.waitFor(() => expect(a.state.reads).toBe(4));
    expect(missed).toEqual([]);
    a.state.value = 4;
    engine.request('a', Date.now(), 'recheck');
    await vi.waitFor(() => expect(missed).toEqual(['a']));
  });

  it('a notification that arrives while the re-check reads means the change was announced', async () => {
    const { a, engine, missed } = setup();
    engine.request('a');
    await vi.waitFor(() => expect(engine.snapshot('a')?.version).toBe(1));
    let release: () => void = () => undefined;
    a.state.gate = new Promise<void>((r) => (release = r));
    a.state.value = 2;
    engine.request('a', Date.now(), 'recheck');
    await vi.waitFor(() => expect(a.state.reads).toBe(2));
    engine.request('a', Date.now(), 'change'); // the NOTIFY of the commit the re-check saw
    a.state.gate = undefined;
    release();
    await vi.waitFor(() => expect(engine.snapshot('a')?.version).toBe(2));
    await vi.waitFor(() => expect(a.state.reads).toBe(3)); // the queued change read
    expect(missed).toEqual([]);
  });

  it('warnings are part of the status, emitted when they change and kept across reads', async () => {
    const { a, engine, statuses } = setup();
    engine.request('a');
    await vi.waitFor(() => expect(engine.snapshot('a')).toBeDefined());
    engine.setWarning('a', 'orders has no notify trigger');
    engine.setWarning('a', 'orders has no notify trigger'); // unchanged: not sent again
    expect(statuses).toEqual([
      {
        section: 'a',
        healthy: true,
        lastOkAt: expect.any(String) as string,
        warning: 'orders has no notify trigger',
      },
    ]);
    a.state.value = 2;
    engine.request('a');
    await vi.waitFor(() => expect(engine.snapshot('a')?.version).toBe(2));
    expect(engine.status('a')?.warning).toBe('orders has no notify trigger');
    engine.setWarning('a', undefined);
    expect(statuses.at(-1)?.warning).toBeUndefined();
    expect(statuses).toHaveLength(2);
  });

  it('retryFailing() runs failing sections at once instead of at their backoff', async () => {
    let fail = true;
    const engine = new SectionEngine({
      specs: [
        {
          info: { id: 'b', title: 'b', view: { type: 'stat' }, mode: 'notify' },
          read: () =>
            fail
              ? Promise.reject(new Error('ECONNREFUSED'))
              : Promise.resolve({
                  rows: [{ v: 1 }],
                  columns: [{ name: 'v', type: 'number' }],
                  truncated: false,
                }),
        },
      ],
      store: new MemorySnapshotStore(() => 0),
      log: silentLogger(),
      settleMs: 0,
      minGapMs: 0,
      backoff: { initialMs: 600_000, maxMs: 600_000 },
    });
    engine.request('b');
    await vi.waitFor(() => expect(engine.status('b')?.healthy).toBe(false));
    fail = false;
    engine.retryFailing();
    await vi.waitFor(() => expect(engine.status('b')?.healthy).toBe(true));
    engine.stop();
  });
});
