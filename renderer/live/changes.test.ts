/** The reducer's change tracking (diff, change log, received count) and pausing a card. */
import { describe, expect, it } from 'vitest';
import type { Row, SectionInfo, SectionUpdate } from '../../common/protocol.js';
import { appendChange, CHANGE_LOG_LIMIT, changeEntry } from './changeLog.js';
import { newerVersions, pausedLabel, pausedView, pauseMark } from './pause.js';
import { applyCatalog, applyUpdate } from './sectionsReducer.js';
import { initialSections, type SectionsState } from './state.js';

const info = (id: string, view: SectionInfo['view']): SectionInfo => ({
  id,
  title: id,
  view,
  mode: 'push',
});
const update = (section: string, version: number, rows: Row[]): SectionUpdate => ({
  section,
  version,
  rows,
  columns: [
    { name: 'agent', type: 'string' },
    { name: 'n', type: 'number' },
  ],
  changedAt: new Date(version * 1000).toISOString(),
  queriedAt: new Date(version * 1000).toISOString(),
});

describe('change tracking in the sections reducer', () => {
  const catalog = applyCatalog(initialSections, [
    info('t', { type: 'table' }),
    info('k', { type: 'table', key: 'n' }),
    info('s', { type: 'stat' }),
  ]);

  it('diffs each version with the one held before, by the first column, and logs it', () => {
    let state: SectionsState = applyUpdate(catalog, update('t', 1, [{ agent: 'a', n: 1 }]), 10);
    expect(state.byId.t?.changes).toBeUndefined();
    expect(state.byId.t?.changeLog).toEqual([
      { version: 1, changedAt: '1970-01-01T00:00:01.000Z', receivedAt: 10, rows: 1 },
    ]);
    state = applyUpdate(
      state,
      update('t', 2, [
        { agent: 'a', n: 2 },
        { agent: 'b', n: 1 },
      ]),
      20,
    );
    const view = state.byId.t;
    expect(view?.changes?.keyColumn).toBe('agent');
    expect(view?.changes?.added).toEqual(['"b"']);
    expect(view?.changes?.changed).toEqual([{ key: '"a"', cells: [{ column: 'n', before: 1 }] }]);
    expect(view?.changeLog?.[0]).toMatchObject({ version: 2, added: 1, removed: 0, changed: 1 });
    expect(view?.received).toBe(2);
  });

  it('matches rows by view.key when the section names one', () => {
    let state = applyUpdate(catalog, update('k', 1, [{ agent: 'a', n: 1 }]), 10);
    state = applyUpdate(state, update('k', 2, [{ agent: 'b', n: 1 }]), 20);
    expect(state.byId.k?.changes?.changed).toEqual([
      { key: '1', cells: [{ column: 'agent', before: 'a' }] },
    ]);
  });

  it('keeps the values of stat sections over time, not of the others', () => {
    let state = applyUpdate(catalog, update('s', 1, [{ agent: 'x', n: 1 }]), 10);
    state = applyUpdate(state, update('s', 2, [{ agent: 'x', n: 2 }]), 20);
    expect(state.byId.s?.kpiHistory?.recent.map((s) => s.row.n)).toEqual([1, 2]);
    // One row of figures: matched by position, so a new figure is a changed row.
    expect(state.byId.s?.changes?.changed).toEqual([
      { key: '1', cells: [{ column: 'n', before: 1 }] },
    ]);
    state = applyUpdate(state, update('t', 1, [{ agent: 'x', n: 2 }]), 20);
    expect(state.byId.t?.kpiHistory).toBeUndefined();
  });

  it('logs at most the last CHANGE_LOG_LIMIT versions, newest first', () => {
    let state = catalog;
    for (let v = 1; v <= CHANGE_LOG_LIMIT + 7; v += 1) {
      state = applyUpdate(state, update('t', v, [{ agent: 'a', n: v }]), v);
    }
    const log = state.byId.t?.changeLog ?? [];
    expect(log).toHaveLength(CHANGE_LOG_LIMIT);
    expect(log[0]?.version).toBe(CHANGE_LOG_LIMIT + 7);
    expect(log.at(-1)?.version).toBe(8);
    expect(state.byId.t?.received).toBe(CHANGE_LOG_LIMIT + 7);
  });

  it('builds entries without counts for the first version', () => {
    const entry = changeEntry(update('t', 3, []), undefined, 5);
    expect(entry).not.toHaveProperty('added');
    expect(appendChange([entry], entry, 1)).toEqual([entry]);
  });
});

describe('pausing a card', () => {
  const catalog = applyCatalog(initialSections, [info('t', { type: 'table' })]);

  it('holds the paused data, counts newer versions and keeps the live health', () => {
    let state = applyUpdate(catalog, update('t', 1, [{ agent: 'a', n: 1 }]), 10);
    state = applyUpdate(state, update('t', 2, [{ agent: 'a', n: 2 }]), 20);
    const mark = pauseMark(state.byId.t!);
    for (let v = 3; v <= 5; v += 1) {
      state = applyUpdate(state, update('t', v, [{ agent: 'a', n: v }]), v * 10);
    }
    const live = {
      ...state.byId.t!,
      status: { section: 't', healthy: false, error: 'boom' },
    };
    const shown = pausedView(live, mark);
    expect(shown.update?.version).toBe(2);
    expect(shown.changes?.changed[0]?.cells).toEqual([{ column: 'n', before: 1 }]);
    expect(shown.status?.healthy).toBe(false);
    expect(shown.changeLog?.[0]?.version).toBe(5);
    expect(newerVersions(live, mark)).toBe(3);
    expect(pausedLabel(3)).toBe('paused · 3 newer versions');
    expect(pausedLabel(1)).toBe('paused · 1 newer version');
    expect(pausedLabel(0)).toBe('paused · no newer version');
  });

  it('shows no data when paused before any arrived', () => {
    const mark = pauseMark(catalog.byId.t!);
    const state = applyUpdate(catalog, update('t', 1, [{ agent: 'a', n: 1 }]), 10);
    const shown = pausedView(state.byId.t!, mark);
    expect(shown.update).toBeUndefined();
    expect(newerVersions(state.byId.t!, mark)).toBe(1);
  });
});
