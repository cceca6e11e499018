import { describe, expect, it } from 'vitest';
import { checkView } from './viewColumns.js';

const number = (name: string) => ({ name, type: 'number' as const });
const text = (name: string) => ({ name, type: 'string' as const });

describe('checkView: what the configuration fixes (opsdeck check fails on it)', () => {
  it('a named column the query lacks, whatever the data', () => {
    const check = checkView({ type: 'stat', y: ['nope'] }, { columns: [number('n')], rows: [] });
    expect(check.configProblems).toEqual([
      'Column nope (view.y) is not in the result: the query returns n.',
    ]);
  });

  it('no number column: only when there are rows to tell the types by', () => {
    const columns = [text('region')];
    expect(
      checkView({ type: 'stat' }, { columns, rows: [{ region: 'eu' }] }).configProblems,
    ).toEqual(['No number column to show as a tile: the query returns region.']);
    const empty = checkView({ type: 'stat' }, { columns, rows: [] });
    expect(empty.configProblems).toEqual([]);
    expect(empty.notes).toContain('The query returned no rows: there are no figures.');
  });

  it('what depends on the data is a note, not a problem', () => {
    const rows = [{ n: 1 }, { n: 2 }];
    const check = checkView({ type: 'stat' }, { columns: [number('n')], rows });
    expect(check.notes).toEqual(['The query returned 2 rows: the tiles show the first.']);
    expect(check.configProblems).toEqual([]);
  });
});
