// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Column, Row, SectionUpdate, ViewSpec } from '../../common/protocol.js';
import type { SectionView } from '../live/state.js';
import { SectionBody } from './SectionBody.js';
import { checkView } from '../../common/viewColumns.js';

afterEach(cleanup);

function section(view: ViewSpec, columns: Column[], rows: Row[]): SectionView {
  const update: SectionUpdate = {
    section: 's',
    version: 1,
    rows,
    columns,
    changedAt: '2026-11-30T12:00:00.000Z',
    queriedAt: '2026-11-30T12:00:00.000Z',
  };
  return {
    info: { id: 's', title: 'S', view, mode: 'push' },
    update,
    changedRowKeys: [],
  };
}

/** SELECT now() AS server_time, 'eu-1'::text AS region */
const timeAndRegion = (view: ViewSpec) =>
  section(
    view,
    [
      { name: 'server_time', type: 'time' },
      { name: 'region', type: 'string' },
    ],
    [{ server_time: '2026-11-30T12:00:00.000Z', region: 'eu-1' }],
  );

const sales = (view: ViewSpec) =>
  section(
    view,
    [
      { name: 'day', type: 'time' },
      { name: 'total', type: 'number' },
    ],
    [
      { day: '2026-11-29', total: 10 },
      { day: '2026-11-30', total: 12 },
    ],
  );

const notice = () => screen.getByTestId('view-notice');

describe('a card whose result lacks what its view needs', () => {
  it('says a stat view has no number column to show, instead of an empty card', () => {
    render(<SectionBody section={timeAndRegion({ type: 'stat' })} />);
    expect(notice().textContent).toBe(
      'Nothing to show.No number column to show as a tile: the query returns server_time, region.',
    );
    expect(screen.queryByRole('list', { name: 'Key figures' })).toBeNull();
  });

  it('names a view.y column the query does not return, instead of a "NOPE —" tile', () => {
    render(<SectionBody section={timeAndRegion({ type: 'stat', y: ['nope'] })} />);
    expect(notice().textContent).toContain(
      'Column nope (view.y) is not in the result: the query returns server_time, region.',
    );
    expect(screen.queryByTestId('stat-nope')).toBeNull();
    expect(screen.queryByText('Nope')).toBeNull();
  });

  it('shows the tiles it has and names the one it has not', () => {
    const kpis = section(
      { type: 'stat', y: ['orders', 'nope'] },
      [{ name: 'orders', type: 'number' }],
      [{ orders: 42 }],
    );
    render(<SectionBody section={kpis} />);
    expect(notice().getAttribute('data-drawable')).toBe('true');
    expect(notice().textContent).toContain('Column nope (view.y) is not in the result');
    expect(screen.getByTestId('stat-orders').textContent).toBe('42');
    expect(screen.queryByTestId('stat-nope')).toBeNull();
  });

  it('does not draw a line without its x column', () => {
    const { container } = render(
      <SectionBody section={sales({ type: 'line', x: 'dayy', y: ['total'] })} />,
    );
    expect(notice().textContent).toContain(
      'Column dayy (view.x) is not in the result: the query returns day, total.',
    );
    expect(container.querySelector('figure.chart')).toBeNull();
  });

  it('shows nothing extra when the result has what the view names', () => {
    const { container } = render(
      <SectionBody section={sales({ type: 'line', x: 'day', y: ['total'] })} />,
    );
    expect(screen.queryByTestId('view-notice')).toBeNull();
    expect(container.querySelector('figure.chart')).not.toBeNull();
  });
});

describe('checkView', () => {
  it('lists every missing column once, with the key that names it', () => {
    const check = checkView(
      { type: 'bar', x: 'dayy', y: ['total', 'nope'], y2: ['nope'] },
      sales({ type: 'bar' }).update as SectionUpdate,
    );
    expect(check).toEqual({
      notes: [
        'Columns dayy (view.x), nope (view.y) are not in the result: the query returns day, total.',
      ],
      drawable: false,
      configProblems: [
        'Columns dayy (view.x), nope (view.y) are not in the result: the query returns day, total.',
      ],
    });
  });

  it('says when a chart has no number column to draw', () => {
    const check = checkView(
      { type: 'area' },
      timeAndRegion({ type: 'area' }).update as SectionUpdate,
    );
    expect(check.drawable).toBe(false);
    expect(check.notes).toEqual([
      'No number column to draw: the query returns server_time, region.',
    ]);
  });

  it('says a stat query returned no rows, or more than the one shown', () => {
    const none = section({ type: 'stat' }, [{ name: 'orders', type: 'number' }], []);
    expect(checkView(none.info.view, none.update as SectionUpdate)).toEqual({
      notes: ['The query returned no rows: there are no figures.'],
      drawable: false,
      configProblems: [],
    });
    const two = section(
      { type: 'stat' },
      [{ name: 'orders', type: 'number' }],
      [{ orders: 1 }, { orders: 2 }],
    );
    expect(checkView(two.info.view, two.update as SectionUpdate)).toEqual({
      notes: ['The query returned 2 rows: the tiles show the first.'],
      drawable: true,
      configProblems: [],
    });
  });

  it('leaves tables alone: they show whatever columns come', () => {
    const table = timeAndRegion({ type: 'table', y: ['nope'] });
    expect(checkView(table.info.view, table.update as SectionUpdate)).toEqual({
      notes: [],
      drawable: true,
      configProblems: [],
    });
  });
});
