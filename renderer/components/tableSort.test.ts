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

  it('sorts numbers and times by value, strings naturally; ties keep SQL order; empty last', () => {
    expect(names(sortRows(rows, columns, { column: 'n', direction: 'asc' }))).toEqual([
      'a9',
      'c',
      'b',
      'a10',
    ]);
    expect(names(sortRows(rows, columns, { column: 'n', direction: 'desc' }))).toEqual([
      'b',
      'a9',
      'c',
      'a10',
    ]);
    expect(names(sortRows(rows, columns, { column: 'at', direction: 'desc' }))).toEqual([
      'c',
      'b',
      'a9',
      'a10',
    ]);
    expect(names(sortRows(rows, columns, { column: 'name', direction: 'asc' }))).toEqual([
      'a9',
      'a10',
      'b',
      'c',
    ]);
  });
});
