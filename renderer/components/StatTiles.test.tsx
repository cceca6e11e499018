// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Row, SectionUpdate, ViewSpec } from '../../common/protocol.js';
import { appendKpi, emptyKpiHistory } from '../live/kpiHistory.js';
import { StatTiles } from './StatTiles.js';

const view: ViewSpec = {
  type: 'stat',
  y: ['revenue_today', 'orders_today', 'avg_order_value', 'open_orders'],
};

function update(version: number, row: Row): SectionUpdate {
  return {
    section: 'kpis',
    version,
    rows: [row],
    columns: Object.keys(row).map((name) => ({ name, type: 'number' as const })),
    changedAt: '2026-11-22T12:00:00.000Z',
    queriedAt: '2026-11-22T12:00:00.000Z',
  };
}

const first = update(1, {
  revenue_today: 12345.5,
  orders_today: 42,
  avg_order_value: 293.94,
  open_orders: 7,
});
const second = update(2, {
  revenue_today: 12500,
  orders_today: 43,
  avg_order_value: 290.7,
  open_orders: 7,
});

afterEach(cleanup);

const tile = (name: string) => {
  const value = screen.getByTestId(`stat-${name}`);
  const li = value.closest('li');
  if (!li) throw new Error(`no tile for ${name}`);
  return li;
};

describe('StatTiles', () => {
  it('shows one tile per column with human labels and locale formatting', () => {
    render(<StatTiles view={view} update={first} locale="en-US" />);
    expect(screen.getAllByRole('listitem')).toHaveLength(4);
    expect(screen.getByText('Revenue today')).toBeTruthy();
    expect(screen.getByText('Average order value')).toBeTruthy();
    expect(screen.getByTestId('stat-revenue_today').textContent).toBe('12,345.50');
    expect(screen.getByTestId('stat-orders_today').textContent).toBe('42');
    expect(screen.getByTestId('stat-avg_order_value').textContent).toBe('293.94');
  });

  it('shows the change since the previous update', () => {
    render(<StatTiles view={view} update={second} previous={first} locale="en-US" />);
    const revenue = tile('revenue_today').querySelector('.stat-delta');
    expect(revenue?.className).toContain('stat-delta--up');
    expect(revenue?.textContent).toContain('▲');
    expect(revenue?.textContent).toContain('154.50');

    const aov = tile('avg_order_value').querySelector('.stat-delta');
    expect(aov?.className).toContain('stat-delta--down');
    expect(aov?.textContent).toContain('▼');
    expect(aov?.textContent).toContain('3.24');

    const orders = tile('orders_today').querySelector('.stat-delta');
    expect(orders?.textContent).toContain('1');

    const open = tile('open_orders').querySelector('.stat-delta');
    expect(open?.className).toContain('stat-delta--flat');
    expect(open?.textContent).toContain('unchanged');
  });

  it('compares with a time of day the user picks, from the history', () => {
    const nine = new Date();
    nine.setHours(0, 5, 0, 0);
    const history = appendKpi(
      appendKpi(emptyKpiHistory, nine.getTime(), first.rows[0] ?? {}),
      nine.getTime() + 60_000,
      second.rows[0] ?? {},
    );
    render(
      <StatTiles view={view} update={second} previous={first} history={history} locale="en-GB" />,
    );
    fireEvent.change(screen.getByLabelText('Change'), { target: { value: 'clock' } });
    fireEvent.change(screen.getByLabelText('Since (time of day)'), { target: { value: '00:05' } });
    const revenue = screen.getByTestId('stat-delta-revenue_today');
    expect(revenue.textContent).toContain('154.50');
    expect(revenue.textContent).toContain('since 00:05');
    expect(revenue.title).toBe('Change since 00:05');
    // After the latest value: unchanged since then.
    fireEvent.change(screen.getByLabelText('Since (time of day)'), { target: { value: '00:07' } });
    expect(screen.getByTestId('stat-delta-revenue_today').textContent).toContain('unchanged');
  });

  it('compares with the moment the user marks as seen', () => {
    const history = appendKpi(emptyKpiHistory, Date.now() - 1000, first.rows[0] ?? {});
    const { rerender } = render(
      <StatTiles view={view} update={first} history={history} locale="en-GB" />,
    );
    fireEvent.change(screen.getByLabelText('Change'), { target: { value: 'looked' } });
    fireEvent.click(screen.getByRole('button', { name: 'Mark as seen' }));
    const later = appendKpi(history, Date.now() + 1000, second.rows[0] ?? {});
    rerender(<StatTiles view={view} update={second} history={later} locale="en-GB" />);
    const orders = screen.getByTestId('stat-delta-orders_today');
    expect(orders.textContent).toMatch(/1 since I looked \(\d\d:\d\d\)/);
  });

  it('uses every numeric column when the view names none', () => {
    const data: SectionUpdate = {
      ...first,
      rows: [{ label: 'x', a: 1, b: 2 }],
      columns: [
        { name: 'label', type: 'string' },
        { name: 'a', type: 'number' },
        { name: 'b', type: 'number' },
      ],
    };
    render(<StatTiles view={{ type: 'stat' }} update={data} locale="en-US" />);
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });
});
