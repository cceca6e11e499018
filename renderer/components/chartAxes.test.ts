import { describe, expect, it } from 'vitest';
import { AUTO_SPLIT_FACTOR, HIDDEN_SHARE, placeSeries } from './chartAxes.js';
import { panelModels, type ChartModel } from './chartModel.js';
import { xLabelLayout } from './xAxisLabels.js';

/** The demo's agents view: revenue ~290,000, closed ~2,000, today 5-17. */
const agents: Record<string, number> = { closed: 2067, revenue: 291_844, today: 17 };
const size = (key: string) => agents[key] ?? 0;
const where = (placements: ReturnType<typeof placeSeries>) =>
  Object.fromEntries(placements.map((p) => [p.key, `${p.panel}:${p.axis}`]));

/** Share of its axis the series' largest value reaches: never below HIDDEN_SHARE. */
function smallestShare(placements: ReturnType<typeof placeSeries>): number {
  let min = 1;
  for (const p of placements) {
    const peers = placements.filter((q) => q.panel === p.panel && q.axis === p.axis);
    min = Math.min(min, size(p.key) / Math.max(...peers.map((q) => size(q.key))));
  }
  return min;
}

describe('placeSeries', () => {
  it('keeps comparable series on one axis', () => {
    expect(
      where(placeSeries(['a', 'b'], (k) => (k === 'a' ? 100 : 100 / AUTO_SPLIT_FACTOR))),
    ).toEqual({ a: '0:left', b: '0:left' });
  });

  it('gives a second magnitude the right axis and a third one a panel: no series is hidden', () => {
    const placed = placeSeries(['closed', 'revenue', 'today'], size);
    expect(where(placed)).toEqual({ revenue: '0:left', closed: '0:right', today: '1:left' });
    expect(placed.map((p) => p.key)).toEqual(['closed', 'revenue', 'today']); // view order kept
    expect(smallestShare(placed)).toBeGreaterThan(HIDDEN_SHARE);
  });

  it('follows view.y2, and still moves a series that would be hidden on its axis to a panel', () => {
    expect(where(placeSeries(['closed', 'revenue', 'today'], size, ['closed', 'today']))).toEqual({
      closed: '0:right',
      revenue: '0:left',
      today: '1:left', // 17 on an axis made for 2,067 would be 0.8 % tall
    });
    const two = placeSeries(['revenue', 'orders'], (k) => (k === 'revenue' ? 100 : 90), ['orders']);
    expect(where(two)).toEqual({ revenue: '0:left', orders: '0:right' });
  });

  it('empty series stay with the first group', () => {
    expect(where(placeSeries(['a', 'zero'], (k) => (k === 'a' ? 5 : 0)))).toEqual({
      a: '0:left',
      zero: '0:left',
    });
  });

  it('splits a model into panels with their own series', () => {
    const model: ChartModel = {
      xKey: 'agent',
      xKind: 'category',
      data: [],
      series: [
        { key: 'closed', label: 'Closed', axis: 'right', panel: 0 },
        { key: 'revenue', label: 'Revenue', axis: 'left', panel: 0 },
        { key: 'today', label: 'Today', axis: 'left', panel: 1 },
      ],
    };
    expect(panelModels(model).map((m) => m.series.map((s) => s.key))).toEqual([
      ['closed', 'revenue'],
      ['today'],
    ]);
  });
});

describe('xLabelLayout', () => {
  it('keeps labels flat when they fit, slants, then stands them up and thins them', () => {
    expect(xLabelLayout(5, 6, 900, 11.5).angle).toBe(0);
    expect(xLabelLayout(12, 14, 600, 11.5)).toMatchObject({ angle: -35, interval: 0 });
    expect(xLabelLayout(12, 14, 230, 11.5)).toMatchObject({ angle: -60, interval: 0 });
    const narrow = xLabelLayout(30, 14, 230, 11.5);
    expect(narrow.angle).toBe(-90);
    expect(narrow.interval).toBeGreaterThan(0);
    // shown labels are at least a line apart
    expect((230 / 30) * (narrow.interval + 1)).toBeGreaterThanOrEqual(11.5 * 1.25);
  });
});
