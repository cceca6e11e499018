import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches } from './postgresReadBatch.js';
import type { ReadRequest } from './postgresQuery.js';

const read = (sql: string, timeoutMs = 5000): { request: ReadRequest } => ({
  request: { sql, timeoutMs, maxRows: 100, before: undefined },
});
const sqls = (all: { request: ReadRequest }[][]) => all.map((b) => b.map((q) => q.request.sql));

describe('batches', () => {
  it('runs a change of three sections side by side on a pool of five', () => {
    expect(sqls(batches([read('SELECT 1'), read('SELECT 2'), read('SELECT 3')], 5))).toEqual([
      ['SELECT 1'],
      ['SELECT 2'],
      ['SELECT 3'],
    ]);
  });

  it('shares round trips beyond the pool size, in the order asked', () => {
    const reads = [1, 2, 3, 4, 5].map((n) => read(`SELECT ${n}`));
    expect(sqls(batches(reads, 2))).toEqual([
      ['SELECT 1', 'SELECT 2', 'SELECT 3'],
      ['SELECT 4', 'SELECT 5'],
    ]);
    expect(sqls(batches(reads, 1))).toEqual([reads.map((r) => r.request.sql)]);
  });

  it('keeps statement timeouts apart and sends what could change the session alone', () => {
    const all = batches(
      [read('SELECT 1'), read('SELECT 2', 900), read("SELECT set_config('a', 'b', false)")],
      1,
    );
    expect(sqls(all)).toEqual([["SELECT set_config('a', 'b', false)"], ['SELECT 1'], ['SELECT 2']]);
  });

  it('makes every read once, never more than the pool (unless a batch would pass 16)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(1000, 5000), { maxLength: 80 }),
        fc.integer({ min: 1, max: 8 }),
        (timeouts, parallel) => {
          const reads = timeouts.map((t, i) => read(`SELECT ${i}`, t));
          const all = batches(reads, parallel);
          expect(
            all
              .flat()
              .map((q) => q.request.sql)
              .sort(),
          ).toEqual(reads.map((r) => r.request.sql).sort());
          for (const timeout of new Set(timeouts)) {
            const mine = all.filter((b) => b[0]?.request.timeoutMs === timeout);
            const n = timeouts.filter((t) => t === timeout).length;
            expect(mine.length).toBeLessThanOrEqual(Math.max(parallel, Math.ceil(n / 16)));
            for (const b of mine) expect(b.length).toBeLessThanOrEqual(16);
            expect(mine.every((b) => b.every((q) => q.request.timeoutMs === timeout))).toBe(true);
          }
        },
      ),
    );
  });
});
