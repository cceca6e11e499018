/** The change log's words and what KPI deltas compare with (pure). */
import { describe, expect, it } from 'vitest';
import type { SectionUpdate } from '../../../common/protocol.js';
import { appendKpi, emptyKpiHistory } from '../../live/kpiHistory.js';
import { diffRows } from '../../live/rowDiff.js';
import { changeDetails, DETAIL_LIMIT, keyLabel } from './changeDetails.js';
import { kpiComparison } from './kpiSince.js';

const update = (rows: SectionUpdate['rows']): SectionUpdate => ({
  section: 'recent',
  version: 2,
  rows,
  columns: [
    { name: 'id', type: 'number' },
    { name: 'customer_name', type: 'string' },
    { name: 'total', type: 'number' },
  ],
  changedAt: '2026-12-01T10:00:00.000Z',
  queriedAt: '2026-12-01T10:00:00.000Z',
});

describe('changeDetails', () => {
  it('names rows by their key and cells from what to what', () => {
    const before = [
      { id: 1, customer_name: 'Ada', total: 10 },
      { id: 2, customer_name: 'Bob', total: 20 },
    ];
    const after = [
      { id: 3, customer_name: 'Cy', total: 5 },
      { id: 1, customer_name: 'Ada', total: 12.5 },
    ];
    const details = changeDetails(update(after), diffRows(before, after, 'id'), 'en-US');
    expect(details.added).toEqual(['ID 3']);
    expect(details.removed).toEqual(['ID 2']);
    expect(details.changed).toEqual(['ID 1: Total 10.00 → 12.50']);
  });

  it('lists at most DETAIL_LIMIT lines per kind and counts the rest', () => {
    const after = Array.from({ length: DETAIL_LIMIT + 3 }, (_, i) => ({ id: i, total: i }));
    const details = changeDetails(update(after), diffRows([], after, 'id'));
    expect(details.added).toHaveLength(DETAIL_LIMIT);
    expect(details.more.added).toBe(3);
  });

  it('reads keys as people do', () => {
    expect(keyLabel('"Ada"#2', { name: 'name', type: 'string' })).toBe('Ada (#2)');
    expect(keyLabel('1', undefined)).toBe('1');
  });
});

describe('kpiComparison', () => {
  const at = new Date(2026, 11, 1, 9, 30).getTime();
  const history = appendKpi(appendKpi(emptyKpiHistory, at, { n: 1 }), at + 60_000, { n: 2 });
  const base = { previous: update([{ n: 5 }]), history, lookedAt: at + 1000, now: at + 120_000 };

  it('compares with the previous update by default', () => {
    expect(kpiComparison({ kind: 'previous' }, base)).toEqual({
      row: { n: 5 },
      caption: 'since last update',
    });
  });

  it('compares with the value on screen when the user last looked', () => {
    const c = kpiComparison({ kind: 'looked' }, { ...base, locale: 'en-GB' });
    expect(c.row).toEqual({ n: 1 });
    expect(c.caption).toBe('since I looked (09:30)');
  });

  it('compares with a time of day, or says the first value seen is later', () => {
    const late = kpiComparison({ kind: 'clock', time: '09:31' }, { ...base, locale: 'en-GB' });
    expect(late).toEqual({ row: { n: 2 }, caption: 'since 09:31' });
    const early = kpiComparison({ kind: 'clock', time: '09:00' }, { ...base, locale: 'en-GB' });
    expect(early).toEqual({ row: { n: 1 }, caption: 'since 09:30 (first seen)' });
    expect(kpiComparison({ kind: 'clock', time: '' }, base).row).toBeUndefined();
  });
});
