/** A clicked alert notification shows its card: scrolled to and focused, switching pages if needed. */
import { afterEach, describe, expect, it } from 'vitest';
import { focusSectionCard } from './focusCard.js';

afterEach(() => (document.body.innerHTML = ''));

function card(section: string): HTMLElement {
  const element = document.createElement('section');
  element.id = `card-${section}`;
  element.tabIndex = -1;
  let scrolled = 0;
  element.scrollIntoView = () => {
    scrolled++;
  };
  element.dataset.scrolled = '0';
  element.addEventListener('focus', () => (element.dataset.scrolled = String(scrolled)));
  document.body.append(element);
  return element;
}

describe('focusSectionCard', () => {
  it('scrolls to the card and focuses it', () => {
    card('sales');
    const kpis = card('kpis');
    expect(focusSectionCard('kpis', undefined)).toBe(true);
    expect(document.activeElement).toBe(kpis);
    expect(kpis.dataset.scrolled).toBe('1');
  });

  it('switches to a page that has the card when it is not on screen', async () => {
    const tab = document.createElement('button');
    tab.id = 'dashboard-tab-trends';
    tab.addEventListener('click', () => card('sales'));
    document.body.append(tab);
    const dashboards = [{ id: 'trends', title: 'Trends', sections: ['sales'] }];
    expect(focusSectionCard('sales', dashboards)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(document.activeElement?.id).toBe('card-sales');
  });

  it('says so when there is no such card', () => {
    expect(focusSectionCard('gone', undefined)).toBe(false);
  });
});
