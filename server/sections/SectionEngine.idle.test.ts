import { expect, it, vi } from 'vitest';
import { silentLogger } from '../log.js';
import type { QueryResult } from '../sources/DataSource.js';
import { SectionEngine } from './SectionEngine.js';
import { MemorySnapshotStore } from './SnapshotStore.js';

const started = { reads: 0 };

/** A section whose read stays open until the test releases it. */
function gated(id: string) {
  let release: () => void = () => undefined;
  let value = 0;
  const spec = {
    info: { id, title: id, view: { type: 'stat' as const }, mode: 'notify' as const },
    async read(): Promise<QueryResult> {
      value += 1;
      started.reads += 1;
      await new Promise<void>((resolve) => (release = resolve));
      return { rows: [{ v: value }], columns: [{ name: 'v', type: 'number' }], truncated: false };
    },
  };
  return { spec, release: () => release() };
}

it('says idle once the last of the reads running side by side has finished, after its update', async () => {
  const a = gated('a');
  const b = gated('b');
  const engine = new SectionEngine({
    specs: [a.spec, b.spec],
    store: new MemorySnapshotStore(),
    log: silentLogger(),
    settleMs: 0,
    minGapMs: 0,
  });
  const events: string[] = [];
  engine.on('update', (u) => events.push(`update ${u.section}`));
  engine.on('idle', () => events.push('idle'));
  engine.requestAll();
  await vi.waitFor(() => expect(started.reads).toBe(2)); // both reads are open now
  a.release();
  await vi.waitFor(() => expect(events).toEqual(['update a']));
  b.release();
  await vi.waitFor(() => expect(events).toEqual(['update a', 'update b', 'idle']));
  engine.stop();
});
