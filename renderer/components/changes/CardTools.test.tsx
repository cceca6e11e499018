// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Row, SectionInfo, SectionUpdate } from '../../../common/protocol.js';
import { applyCatalog, applyUpdate } from '../../live/sectionsReducer.js';
import { initialSections, type SectionsState, type SectionView } from '../../live/state.js';
import { CardTools } from './CardTools.js';

const info: SectionInfo = {
  id: 'recent',
  title: 'Latest orders',
  view: { type: 'table' },
  mode: 'push',
};
const update = (version: number, rows: Row[]): SectionUpdate => ({
  section: 'recent',
  version,
  rows,
  columns: [
    { name: 'id', type: 'number' },
    { name: 'name', type: 'string' },
  ],
  changedAt: '2026-12-01T10:00:00.000Z',
  queriedAt: '2026-12-01T10:00:00.000Z',
});

afterEach(cleanup);

function viewOf(state: SectionsState): SectionView {
  const view = state.byId.recent;
  if (!view) throw new Error('no recent section');
  return view;
}

describe('CardTools', () => {
  let state: SectionsState = applyCatalog(initialSections, [info]);
  state = applyUpdate(state, update(1, [{ id: 1, name: 'Ada' }]), 1);
  state = applyUpdate(
    state,
    update(2, [
      { id: 2, name: 'Bob' },
      { id: 1, name: 'Ada L.' },
    ]),
    2,
  );
  const live = viewOf(state);

  it('says so when only the order of the rows changed', () => {
    const swapped = viewOf(
      applyUpdate(
        state,
        update(3, [
          { id: 1, name: 'Ada L.' },
          { id: 2, name: 'Bob' },
        ]),
        3,
      ),
    );
    render(<CardTools live={swapped} shown={swapped} paused={false} onTogglePause={() => {}} />);
    expect(screen.getByTestId('change-summary').textContent).toBe(
      'Last change:+0 added−0 removed~0 changedrows reordered',
    );
  });

  it('says the rows are the same, not reordered, when a new version brings the same rows', () => {
    // A restarted server (or another node) sends the same rows in the same order, as version 3.
    const reread = viewOf(
      applyUpdate(
        state,
        update(3, [
          { id: 2, name: 'Bob' },
          { id: 1, name: 'Ada L.' },
        ]),
        3,
      ),
    );
    render(<CardTools live={reread} shown={reread} paused={false} onTogglePause={() => {}} />);
    const summary = screen.getByTestId('change-summary');
    expect(summary.textContent).toBe('Last change:+0 added−0 removed~0 changedsame rows (re-read)');
    expect(summary.querySelector('[data-kind="reordered"]')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Change log' }));
    expect(screen.getByTestId('change-order').textContent).toContain('in the same order');
  });

  it('never says a one-row stat card was reordered', () => {
    const kpis: SectionInfo = { ...info, id: 'recent', view: { type: 'stat' } };
    const figures = { id: 7, name: 'x' };
    let s = applyCatalog(initialSections, [kpis]);
    s = applyUpdate(s, update(1, [figures]), 1);
    s = applyUpdate(s, update(2, [{ ...figures }]), 2);
    const view = viewOf(s);
    render(<CardTools live={view} shown={view} paused={false} onTogglePause={() => {}} />);
    expect(screen.getByTestId('change-summary').textContent).toContain('same rows (re-read)');
    expect(screen.queryByText('rows reordered')).toBeNull();
  });

  it('says the order changed alongside changed cells', () => {
    const both = viewOf(
      applyUpdate(
        state,
        update(3, [
          { id: 1, name: 'Ada' },
          { id: 2, name: 'Bob' },
        ]),
        3,
      ),
    );
    render(<CardTools live={both} shown={both} paused={false} onTogglePause={() => {}} />);
    expect(screen.getByTestId('change-summary').textContent).toBe(
      'Last change:+0 added−0 removed~1 changedrows reordered',
    );
  });

  it('sums up the last change and opens the change log', () => {
    render(<CardTools live={live} shown={live} paused={false} onTogglePause={() => {}} />);
    const summary = screen.getByTestId('change-summary');
    expect(summary.textContent).toBe('Last change:+1 added−0 removed~1 changed');
    const toggle = screen.getByRole('button', { name: 'Change log' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const region = screen.getByRole('region', { name: 'Change log: Latest orders' });
    expect(toggle.getAttribute('aria-controls')).toBe(region.id);
    const rows = within(screen.getByTestId('change-log')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-version'))).toEqual(['2', '1']);
    expect(
      within(rows[0] as HTMLElement)
        .getAllByRole('cell')
        .slice(1)
        .map((c) => c.textContent),
    ).toEqual(['on screen 2', '2', '1', '0', '1']);
    expect(screen.getByTestId('change-details').textContent).toContain('ID 1: Name Ada → Ada L.');
  });

  it('says Pause or Resume, and calls back', () => {
    let clicks = 0;
    const { rerender } = render(
      <CardTools live={live} shown={live} paused={false} onTogglePause={() => (clicks += 1)} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    rerender(<CardTools live={live} shown={live} paused onTogglePause={() => (clicks += 1)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(clicks).toBe(2);
  });

  it('says when the key column the section names is not in its rows', () => {
    const keyed: SectionInfo = { ...info, view: { type: 'table', key: 'order_no' } };
    let s = applyCatalog(initialSections, [keyed]);
    s = applyUpdate(s, update(1, [{ id: 1, name: 'Ada' }]), 1);
    s = applyUpdate(s, update(2, [{ id: 1, name: 'Bob' }]), 2);
    const view = viewOf(s);
    render(<CardTools live={view} shown={view} paused={false} onTogglePause={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Change log' }));
    expect(screen.getByTestId('change-key-missing').textContent).toContain('“order_no”');
  });

  it('says the first version has nothing to compare with', () => {
    const one = viewOf(applyUpdate(applyCatalog(initialSections, [info]), update(1, []), 1));
    render(<CardTools live={one} shown={one} paused={false} onTogglePause={() => {}} />);
    expect(screen.getByTestId('change-summary').textContent).toBe('first version seen');
  });
});
