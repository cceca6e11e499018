import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { CellValue, Row } from '../../common/protocol.js';
import {
  diffKeyColumn,
  diffRowKeys,
  diffRows,
  diffSummary,
  isEmptyDiff,
  sameCell,
} from './rowDiff.js';

describe('diffRows', () => {
  const before: Row[] = [
    { id: 1, name: 'Ada', total: 10 },
    { id: 2, name: 'Bob', total: 20 },
    { id: 3, name: 'Cy', total: 30 },
  ];

  it('finds added, removed and changed rows by the key column, with the previous values', () => {
    const after: Row[] = [
      { id: 4, name: 'Dee', total: 40 },
      { id: 1, name: 'Ada', total: 11 },
      { id: 3, name: 'Cy', total: 30 },
    ];
    const diff = diffRows(before, after, 'id');
    expect(diff.added).toEqual(['4']);
    expect(diff.removed).toEqual([{ id: 2, name: 'Bob', total: 20 }]);
    expect(diff.changed).toEqual([{ key: '1', cells: [{ column: 'total', before: 10 }] }]);
    expect(diffSummary(diff)).toBe('+1 −1 ~1');
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('matches by another column when told (view.key), else by the first column', () => {
    expect(diffKeyColumn({ type: 'table', key: 'name' }, [{ name: 'id', type: 'number' }])).toBe(
      'name',
    );
    expect(diffKeyColumn({ type: 'table' }, [{ name: 'agent', type: 'string' }])).toBe('agent');
    expect(diffKeyColumn({ type: 'stat' }, [{ name: 'revenue', type: 'number' }])).toBeUndefined();
    expect(diffKeyColumn({ type: 'table' }, [])).toBeUndefined();
    const after: Row[] = [{ id: 9, name: 'Ada', total: 10 }];
    const byName = diffRows(before.slice(0, 1), after, 'name');
    expect(byName.added).toEqual([]);
    expect(byName.changed).toEqual([{ key: '"Ada"', cells: [{ column: 'id', before: 1 }] }]);
    const byId = diffRows(before.slice(0, 1), after, 'id');
    expect(byId.added).toEqual(['9']);
    expect(byId.removed).toHaveLength(1);
  });

  it('tells rows that share a key apart by their order', () => {
    expect(diffRowKeys([{ k: 'a' }, { k: 'a' }, { k: 'b' }], 'k')).toEqual(['"a"', '"a"#2', '"b"']);
    const diff = diffRows(
      [{ k: 'a', v: 1 }],
      [
        { k: 'a', v: 1 },
        { k: 'a', v: 2 },
      ],
      'k',
    );
    expect(diff.added).toEqual(['"a"#2']);
    expect(diff.changed).toEqual([]);
  });

  it('matches rows by position without a key column (stat sections)', () => {
    const diff = diffRows([{ revenue: 10 }], [{ revenue: 12 }, { revenue: 1 }], undefined);
    expect(diff.added).toEqual(['2']);
    expect(diff.changed).toEqual([{ key: '1', cells: [{ column: 'revenue', before: 10 }] }]);
  });

  it('counts a column that appeared or disappeared as a changed cell', () => {
    const diff = diffRows([{ id: 1, a: 1 }], [{ id: 1, b: 2 }], 'id');
    expect(diff.changed).toEqual([
      {
        key: '1',
        cells: [
          { column: 'b', before: undefined },
          { column: 'a', before: 1 },
        ],
      },
    ]);
  });

  it('compares nested values by content', () => {
    expect(sameCell({ a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(sameCell([1], [2])).toBe(false);
    expect(sameCell(null, 0)).toBe(false);
    expect(sameCell(undefined, null)).toBe(false);
  });
});

// Small value and key spaces, so that generated versions share keys and values often.
const cell: fc.Arbitrary<CellValue> = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.constantFrom('a', 'b', null, true),
);
const row: fc.Arbitrary<Row> = fc.record({
  k: fc.integer({ min: 0, max: 5 }),
  x: cell,
  y: cell,
});
const rows = fc.array(row, { maxLength: 12 });
/** By the key column, or by position. */
const keyColumn = fc.constantFrom<string | undefined>('k', undefined);

describe('diffRows properties', () => {
  test.prop([rows, keyColumn])('a version compared with itself changed nothing', (a, k) => {
    const diff = diffRows(a, a, k);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.reordered).toBe(false);
  });

  const distinctRows = fc.uniqueArray(row, { selector: (r) => r.k, maxLength: 6 });
  test.prop([distinctRows, fc.func(fc.integer())])(
    'a permutation of rows with distinct keys is reordered unless it leaves every row in place',
    (a, rank) => {
      const shuffled = a
        .map((r, i) => ({ r, order: rank(i) }))
        .sort((x, y) => x.order - y.order)
        .map((x) => x.r);
      const diff = diffRows(a, shuffled, 'k');
      expect(isEmptyDiff(diff)).toBe(true);
      expect(diff.reordered).toBe(shuffled.some((r, i) => r !== a[i]));
    },
  );

  test.prop([distinctRows, rows, fc.array(fc.boolean()), keyColumn])(
    'dropping rows, or adding rows at the end, reorders nothing',
    (a, more, keep, k) => {
      const kept = a.filter((_, i) => keep[i] ?? true);
      expect(diffRows(a, kept, k).reordered).toBe(false);
      expect(diffRows(kept, [...kept, ...more], k).reordered).toBe(false);
    },
  );

  test.prop([rows, rows, keyColumn])(
    'rows gained minus rows lost is the change in row count',
    (a, b, k) => {
      const diff = diffRows(a, b, k);
      expect(diff.added.length - diff.removed.length).toBe(b.length - a.length);
    },
  );

  test.prop([rows, rows, keyColumn])('swapping the versions swaps added and removed', (a, b, k) => {
    const forward = diffRows(a, b, k);
    const backward = diffRows(b, a, k);
    expect(forward.added.length).toBe(backward.removed.length);
    expect(forward.removed.length).toBe(backward.added.length);
    expect(forward.changed.map((c) => c.key).sort()).toEqual(
      backward.changed.map((c) => c.key).sort(),
    );
  });

  test.prop([rows, rows, keyColumn])(
    'the old version and the diff give back the new version',
    (a, b, k) => {
      const diff = diffRows(a, b, k);
      const oldByKey = new Map(diffRowKeys(a, k).map((key, i) => [key, a[i]]));
      const added = new Set(diff.added);
      const changed = new Map(diff.changed.map((c) => [c.key, c.cells]));
      diffRowKeys(b, k).forEach((key, i) => {
        const now = b[i] as Row;
        if (added.has(key)) {
          expect(oldByKey.has(key)).toBe(false);
          return;
        }
        const old = oldByKey.get(key) as Row;
        const rebuilt = new Map(Object.entries(old));
        for (const c of changed.get(key) ?? []) {
          const value = now[c.column];
          expect(sameCell(c.before, old[c.column])).toBe(true);
          if (value === undefined) rebuilt.delete(c.column);
          else rebuilt.set(c.column, value);
        }
        expect(Object.fromEntries(rebuilt)).toEqual(now);
      });
      // Every removed row is an old row whose key the new version lacks.
      const newKeys = new Set(diffRowKeys(b, k));
      const removedKeys = diffRowKeys(a, k).filter((key) => !newKeys.has(key));
      expect(diff.removed).toEqual(removedKeys.map((key) => oldByKey.get(key)));
    },
  );
});
