// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SectionUpdate, ViewSpec } from '../../common/protocol.js';

type LazyModule = typeof import('./LazyChartView.js');

const view: ViewSpec = { type: 'line', x: 'day', y: ['revenue', 'orders'] };
const update: SectionUpdate = {
  section: 'sales',
  version: 3,
  rows: Array.from({ length: 30 }, (_, i) => ({
    day: `2026-11-${String(i + 1).padStart(2, '0')}`,
    revenue: 10_000 + i * 100,
    orders: 40 + i,
  })),
  columns: [
    { name: 'day', type: 'time' },
    { name: 'revenue', type: 'number' },
    { name: 'orders', type: 'number' },
  ],
  changedAt: '2026-11-30T12:00:00.000Z',
  queriedAt: '2026-11-30T12:00:00.000Z',
};

/**
 * LazyChartView with a chart module that arrives when the test says so (or fails), the way the
 * chart chunk arrives in a browser: a fresh module registry for each test.
 */
async function withChartModule(): Promise<{
  lazy: LazyModule;
  arrive: () => Promise<void>;
  fail: () => Promise<void>;
}> {
  let release: (ok: boolean) => void = () => undefined;
  const gate = new Promise<boolean>((resolve) => (release = resolve));
  vi.doMock('./ChartView.js', async () => {
    if (!(await gate)) throw new Error('chunk gone');
    return {
      ChartView: ({ update: u }: { update: SectionUpdate }) => (
        <figure className="chart" data-testid="real-chart" data-points={u.rows.length} />
      ),
    };
  });
  const lazy = await import('./LazyChartView.js');
  const settle = async (ok: boolean) => {
    release(ok);
    await act(async () => {
      await lazy.chartCode().catch(() => undefined);
    });
  };
  return { lazy, arrive: () => settle(true), fail: () => settle(false) };
}

beforeEach(() => {
  vi.resetModules();
});
afterEach(() => {
  cleanup();
  vi.doUnmock('./ChartView.js');
});

describe('LazyChartView', () => {
  it("holds the chart's place (legend, window picker, panel) until the chart code is there", async () => {
    const { lazy, arrive } = await withChartModule();
    const { container } = render(<lazy.LazyChartView view={view} update={update} />);
    const pending = container.querySelector('figure.chart.chart--pending');
    expect(pending).not.toBeNull();
    expect(pending?.getAttribute('aria-busy')).toBe('true');
    expect(pending?.getAttribute('data-chart-pending')).toBe('loading');
    // The frame ChartView draws: the same legend, the window picker, one plot panel.
    const legend = screen.getByRole('list', { name: 'Series' });
    expect(legend.textContent).toContain('Revenue');
    expect(legend.textContent).toContain('Orders');
    const picker = screen.getByRole('group', { name: 'Time window' });
    expect([...picker.querySelectorAll('button')].map((b) => b.disabled)).toEqual([
      true,
      true,
      true,
    ]);
    expect(container.querySelectorAll('.chart-panels > .chart-canvas').length).toBe(1);
    expect(screen.queryByTestId('real-chart')).toBeNull();

    await arrive();
    expect(screen.getByTestId('real-chart').getAttribute('data-points')).toBe('30');
    expect(container.querySelector('.chart--pending')).toBeNull();
  });

  it('draws the chart at once, with no placeholder, once the code has loaded', async () => {
    const { lazy, arrive } = await withChartModule();
    await arrive();
    const { container } = render(<lazy.LazyChartView view={view} update={update} />);
    expect(screen.getByTestId('real-chart')).toBeTruthy();
    expect(container.querySelector('.chart--pending')).toBeNull();
  });

  it('says so in the chart area when the chart code cannot be loaded', async () => {
    const { lazy, fail } = await withChartModule();
    const { container } = render(<lazy.LazyChartView view={view} update={update} />);
    await fail();
    const figure = container.querySelector('figure.chart--pending');
    expect(figure?.getAttribute('data-chart-pending')).toBe('failed');
    expect(screen.getByRole('alert').textContent).toContain('Reload the page');
    // A chart rendered after the failure says so at once.
    cleanup();
    render(<lazy.LazyChartView view={view} update={update} />);
    expect(screen.getByRole('alert')).toBeTruthy();
  });

  it('says "No rows." for an empty section, as ChartView does', async () => {
    const { lazy } = await withChartModule();
    render(<lazy.LazyChartView view={view} update={{ ...update, rows: [] }} />);
    expect(screen.getByText('No rows.')).toBeTruthy();
  });
});
