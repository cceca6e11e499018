// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SectionInfo, SectionUpdate } from '../../common/protocol.js';
import type { SectionView } from '../live/state.js';
import { SectionCard, sourceLabel } from './SectionCard.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const info: SectionInfo = {
  id: 'sales',
  title: 'Revenue, last 30 days',
  view: { type: 'line' },
  mode: 'push',
};

function update(changedAgoMs: number): SectionUpdate {
  return {
    section: 'sales',
    version: 7,
    rows: [{ day: '2026-11-22', revenue: 10 }],
    columns: [
      { name: 'day', type: 'time' },
      { name: 'revenue', type: 'number' },
    ],
    changedAt: new Date(NOW - changedAgoMs).toISOString(),
    queriedAt: new Date(NOW - changedAgoMs).toISOString(),
  };
}

function view(extra: Partial<SectionView> = {}): SectionView {
  return { info, update: update(12_000), changedRowKeys: [], ...extra };
}

const card = () => screen.getByTestId('section-sales');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('SectionCard', () => {
  it('says how fresh the data is and how the server learns of changes', () => {
    render(
      <SectionCard section={view()} phase="connected" clockOffsetMs={0}>
        <p>the chart</p>
      </SectionCard>,
    );
    expect(card().textContent).toContain('updated 12 s ago');
    expect(card().textContent).toContain('live push');
    expect(card().getAttribute('data-version')).toBe('7');
    expect(card().getAttribute('data-stale')).toBe('false');
    expect(card().getAttribute('data-healthy')).toBe('true');
    expect(screen.getByText('the chart')).toBeTruthy();
  });

  it('says plainly that a paused card is paused, never live, and shows its tools', () => {
    render(
      <SectionCard
        section={view()}
        phase="connected"
        clockOffsetMs={0}
        pausedNewer={3}
        tools={<button type="button">Resume</button>}
      >
        <p>the chart</p>
      </SectionCard>,
    );
    expect(card().getAttribute('data-paused')).toBe('true');
    expect(card().className).toContain('is-paused');
    expect(screen.getByTestId('card-paused').textContent).toBe('paused · 3 newer versions');
    expect(screen.getByTestId('card-source').textContent).toBe('push');
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
  });

  it('corrects the age by the clock offset between server and client', () => {
    // The server's clock is 5 s ahead: a change it stamped 12 s before its "now" is 12 s old.
    const section = view({
      update: { ...update(0), changedAt: new Date(NOW + 5000 - 12_000).toISOString() },
    });
    render(<SectionCard section={section} phase="connected" clockOffsetMs={5000} />);
    expect(card().textContent).toContain('updated 12 s ago');
  });

  it('keeps counting as time passes', () => {
    render(<SectionCard section={view()} phase="connected" clockOffsetMs={0} />);
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(card().textContent).toContain('updated 1 min ago');
  });

  it('names poll and notify sources', () => {
    expect(sourceLabel({ ...info, mode: 'poll', intervalMs: 3000 })).toBe('polls every 3 s');
    expect(sourceLabel({ ...info, mode: 'notify' })).toBe('database notify');
  });

  it('marks data stale while disconnected, keeping it on screen', () => {
    render(
      <SectionCard section={view()} phase="reconnecting" clockOffsetMs={0}>
        <p>the chart</p>
      </SectionCard>,
    );
    expect(card().getAttribute('data-stale')).toBe('true');
    expect(card().textContent).toContain('stale — disconnected');
    // The source is named without "live": nothing on a stale card says it is live.
    expect(screen.getByTestId('card-source').textContent).toBe('push');
    expect(card().textContent).not.toContain('live');
    expect(screen.getByText('the chart')).toBeTruthy();
  });

  it('shows the server error when the query fails, with the last data marked', () => {
    const section = view({
      status: {
        section: 'sales',
        healthy: false,
        error: 'no such table: orderz',
        lastOkAt: new Date(NOW - 120_000).toISOString(),
      },
    });
    render(
      <SectionCard section={section} phase="connected" clockOffsetMs={0}>
        <p>the chart</p>
      </SectionCard>,
    );
    expect(card().getAttribute('data-healthy')).toBe('false');
    expect(card().getAttribute('data-stale')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('no such table: orderz');
    expect(screen.getByRole('alert').textContent).toContain('2 min ago');
    expect(screen.getByRole('alert').textContent).toContain('stale');
    expect(screen.getByTestId('card-freshness').textContent).toBe('stale — last good 2 min ago');
    expect(screen.getByText('the chart')).toBeTruthy();
  });

  it('keeps the database HINT and DETAIL lines of an error, each on its own line', () => {
    const section = view({
      status: {
        section: 'sales',
        healthy: false,
        error:
          'column "totl" does not exist\nDETAIL: something more\nHINT: Perhaps you meant to reference the column "orders.total".',
      },
    });
    render(<SectionCard section={section} phase="connected" clockOffsetMs={0} />);
    const lines = [...screen.getByRole('alert').querySelectorAll('.card-error-text')].map(
      (l) => l.textContent,
    );
    expect(lines).toEqual([
      'column "totl" does not exist',
      'DETAIL something more',
      'HINT Perhaps you meant to reference the column "orders.total".',
    ]);
  });

  it('a section that never had data and fails shows an error state, not a loading placeholder', () => {
    render(
      <SectionCard
        section={{
          info,
          changedRowKeys: [],
          status: { section: 'sales', healthy: false, error: 'no such table: orderz' },
        }}
        phase="connected"
        clockOffsetMs={0}
      >
        <p>the chart</p>
      </SectionCard>,
    );
    expect(card().textContent).not.toContain('Waiting for data');
    expect(card().querySelector('.skeleton')).toBeNull();
    expect(card().hasAttribute('aria-busy')).toBe(false);
    expect(screen.getByRole('alert').textContent).toContain('no such table: orderz');
    expect(screen.getByRole('alert').textContent).toContain('no data to show');
    expect(screen.getByTestId('card-freshness').textContent).toBe('no data — query failing');
  });

  it('shows a change-feed warning on the card and in its freshness and source labels', () => {
    const warning = 'orders has no notify trigger: changes show up only at the 60 s re-check';
    render(
      <SectionCard
        section={view({
          info: { ...info, mode: 'notify' },
          status: { section: 'sales', healthy: true, warning },
        })}
        phase="connected"
        clockOffsetMs={0}
      >
        <p>the chart</p>
      </SectionCard>,
    );
    expect(card().getAttribute('data-warned')).toBe('true');
    expect(card().getAttribute('data-healthy')).toBe('true');
    expect(screen.getByTestId('section-warning').textContent).toContain(warning);
    expect(screen.getByTestId('card-freshness').textContent).toBe('updated 12 s ago — may be late');
    const source = screen.getByTestId('card-source');
    expect(source.textContent).toBe('database notify, unreliable');
    expect(source.getAttribute('title')).toBe(warning);
    expect(screen.getByText('the chart')).toBeTruthy();
  });

  it('waits for data with a skeleton', () => {
    render(
      <SectionCard section={{ info, changedRowKeys: [] }} phase="connected" clockOffsetMs={0}>
        <p>the chart</p>
      </SectionCard>,
    );
    expect(card().textContent).toContain('Waiting for data');
    expect(card().hasAttribute('data-version')).toBe(false);
    expect(screen.queryByText('the chart')).toBeNull();
  });

  it('marks the card of an alerted section: border class and a badge naming the alert', () => {
    const event = {
      id: 'sales-low',
      section: 'sales',
      severity: 'critical' as const,
      state: 'firing' as const,
      since: new Date(NOW).toISOString(),
      message: 'Sales are low',
    };
    render(
      <SectionCard
        section={view()}
        phase="connected"
        clockOffsetMs={0}
        alerts={[{ event, quiet: false }]}
      />,
    );
    expect(card().dataset.alerted).toBe('critical');
    expect(card().className).toContain('is-alerted--critical');
    expect(card().textContent).toContain('Critical: sales-low');
  });
});
