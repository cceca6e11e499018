import { describe, expect, it } from 'vitest';
import type { Column, Row } from '../../common/protocol.js';
import { nextSort, sortRows } from './tableSort.js';

const columns: Column[] = [
  { name: 'name', type: 'string' },
  { name: 'n', type: 'number' },
  { name: 'at', type: 'time' },
];
const rows: Row[] = [
  { name: 'b', n: 10, at: '2026-11-22T10:00:00Z' },
  { name: 'a10', n: null, at: null },
  { name: 'a9', n: 2, at: '2026-11-21T10:00:00Z' },
  { name: 'c', n: 2, at: '2026-11-23T10:00:00Z' },
];
const names = (r: readonly Row[]) => r.map((x) => x.name);

describe('table sort', () => {
  it('without a sort returns the very same rows', () => {
    expect(sortRows(rows, columns, undefined)).toBe(rows);
  });

  it('cycles ascending, descending, SQL order', () => {
    const asc = nextSort(undefined, 'n');
    expect(asc).toEqual({ column: 'n', direction: 'asc' });
    const desc = nextSort(asc, 'n');
    expect(desc).toEqual({ column: 'n', direction: 'desc' });
    expect(nextSort(desc, 'n')).toBeUndefined();
    expect(nextSort(desc, 'name')).toEqual({ column: 'name', direction: 'asc' });
  });

  it.each([
    ['n', 'asc', ['a9', 'c', 'b', 'a10']],
    ['n', 'desc', ['b', 'a9', 'c', 'a10']],
    ['at', 'desc', ['c', 'b', 'a9', 'a10']],
    ['name', 'asc', ['a9', 'a10', 'b', 'c']],
  ] as const)(
    'sorts %s %s: numbers and times by value, strings naturally; ties keep SQL order; empty last',
    (column, direction, expected) => {
      expect(names(sortRows(rows, columns, { column, direction }))).toEqual(expected);
    },
  );
});
