// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_SECTIONS, type DashboardPage } from '../hooks/useDashboardPages.js';
import { DASHBOARD_PANEL_ID, DashboardTabs } from './DashboardTabs.js';

const PAGES: DashboardPage[] = [
  ALL_SECTIONS,
  { id: 'floor', title: 'Sales floor', sections: ['kpis'] },
  { id: 'trends', title: 'Trends', sections: ['sales'] },
];

/** The tabs as App holds them: the selection in state, changed by onSelect. */
function Tabs() {
  const [current, setCurrent] = useState<DashboardPage>(ALL_SECTIONS);
  return (
    <DashboardTabs
      pages={PAGES}
      current={current}
      onSelect={(id) => setCurrent(PAGES.find((p) => p.id === id) ?? ALL_SECTIONS)}
    />
  );
}

const tab = (name: string) => screen.getByRole('tab', { name: new RegExp(name) });
const inTabOrder = () =>
  screen
    .getAllByRole('tab')
    .filter((t) => t.tabIndex === 0)
    .map((t) => t.textContent);

/** A key pressed on the focused element (the tab list handles it, ARIA tabs). */
function press(key: string) {
  const focused = document.activeElement;
  if (!focused) throw new Error('nothing has the focus');
  fireEvent.keyDown(focused, { key });
}

afterEach(cleanup);

describe('DashboardTabs (ARIA tabs pattern)', () => {
  it('puts only the selected tab in the tab order, each tab controlling the panel', () => {
    render(<Tabs />);
    expect(inTabOrder()).toEqual(['1All sections']);
    for (const t of screen.getAllByRole('tab')) {
      expect(t.getAttribute('aria-controls')).toBe(DASHBOARD_PANEL_ID);
    }
  });

  it('arrows select and focus the next and previous tab, wrapping; Home and End the ends', () => {
    render(<Tabs />);
    tab('All sections').focus();
    press('ArrowRight');
    expect(document.activeElement).toBe(tab('Sales floor'));
    expect(tab('Sales floor').getAttribute('aria-selected')).toBe('true');
    expect(inTabOrder()).toEqual(['2Sales floor']);
    press('ArrowRight');
    press('ArrowRight');
    expect(document.activeElement).toBe(tab('All sections')); // wrapped
    press('ArrowLeft');
    expect(document.activeElement).toBe(tab('Trends'));
    press('Home');
    expect(document.activeElement).toBe(tab('All sections'));
    press('End');
    expect(document.activeElement).toBe(tab('Trends'));
    expect(tab('Trends').getAttribute('aria-selected')).toBe('true');
    expect(inTabOrder()).toEqual(['3Trends']);
  });

  it('leaves other keys alone', () => {
    render(<Tabs />);
    tab('All sections').focus();
    press('ArrowDown');
    expect(tab('All sections').getAttribute('aria-selected')).toBe('true');
  });
});
