import type { KeyboardEvent } from 'react';
import type { AlertSeverity } from '../../common/alerts.js';
import type { DashboardPage } from '../hooks/useDashboardPages.js';
import { useSelectedInView } from '../hooks/useSelectedInView.js';

/** The element the tabs control (App puts the dashboard in it). */
export const DASHBOARD_PANEL_ID = 'dashboard-panel';

export const dashboardTabId = (page: DashboardPage) => `dashboard-tab-${page.id ?? 'all'}`;

export interface DashboardTabsProps {
  pages: DashboardPage[];
  current: DashboardPage;
  onSelect: (id: string | undefined) => void;
  /** TV mode: the page titles only, nothing to click. */
  kiosk?: boolean;
  /** Per dashboard id: how many firing alerts its sections have, and the most severe. */
  alertCounts?: Record<string, { count: number; severity: AlertSeverity }>;
}

/** The tab a key moves to from tab `index` of `count` (ARIA tabs: arrows wrap, Home, End). */
function targetOf(key: string, index: number, count: number): number | undefined {
  switch (key) {
    case 'ArrowRight':
      return (index + 1) % count;
    case 'ArrowLeft':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

/**
 * The dashboards as tabs (keys 1-9 switch, see useDashboardPages); in TV mode a page indicator.
 * The ARIA tabs pattern: only the selected tab is in the tab order, the arrow keys (and Home,
 * End) select and focus the others (switching is instant: every section stays subscribed). On a
 * narrow screen the row scrolls, and keeps the selected tab in view.
 */
export function DashboardTabs({
  pages,
  current,
  onSelect,
  kiosk = false,
  alertCounts = {},
}: DashboardTabsProps) {
  const ref = useSelectedInView<HTMLDivElement>(current.id ?? '*', pages.length);
  if (pages.length === 0) return null;
  if (kiosk) {
    return (
      <nav ref={ref} className="dashboard-tabs dashboard-tabs--kiosk" aria-label="Dashboards">
        {pages.map((d) => (
          <span
            key={d.id ?? '*'}
            className={`dashboard-tab${d.id === current.id ? ' is-current' : ''}`}
            aria-current={d.id === current.id ? 'page' : undefined}
          >
            {d.title}
          </span>
        ))}
      </nav>
    );
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = pages.findIndex((p) => p.id === current.id);
    const next = targetOf(event.key, Math.max(0, index), pages.length);
    const page = next === undefined ? undefined : pages[next];
    if (!page) return;
    event.preventDefault();
    onSelect(page.id);
    document.getElementById(dashboardTabId(page))?.focus();
  };
  // In a navigation landmark: nothing on the page is outside one (axe `region`).
  return (
    <nav aria-label="Dashboards">
      <div
        ref={ref}
        className="dashboard-tabs"
        role="tablist"
        aria-label="Dashboards"
        onKeyDown={onKeyDown}
      >
        {pages.map((d, i) => {
          const alerts = d.id === undefined ? undefined : alertCounts[d.id];
          const count = alerts?.count ?? 0;
          const selected = d.id === current.id;
          return (
            <button
              key={d.id ?? '*'}
              type="button"
              role="tab"
              id={dashboardTabId(d)}
              data-testid={dashboardTabId(d)}
              aria-selected={selected}
              aria-controls={DASHBOARD_PANEL_ID}
              tabIndex={selected ? 0 : -1}
              className={`dashboard-tab${selected ? ' is-current' : ''}`}
              onClick={() => onSelect(d.id)}
              title={i < 9 ? `Key ${i + 1}` : undefined}
            >
              {i < 9 && (
                <kbd className="dashboard-tab-key" aria-hidden="true">
                  {i + 1}
                </kbd>
              )}
              {d.title}
              {count > 0 && (
                <span className={`dashboard-tab-alerts alert--${alerts?.severity ?? 'info'}`}>
                  {count} alert{count === 1 ? '' : 's'}
                </span>
              )}
            </button>
          );
        })}
      </div>
    </nav>
  );
}
