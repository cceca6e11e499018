import type { AlertSeverity } from '../../common/alerts.js';
import type { DashboardPage } from '../hooks/useDashboardPages.js';

export interface DashboardTabsProps {
  pages: DashboardPage[];
  current: DashboardPage;
  onSelect: (id: string | undefined) => void;
  /** TV mode: the page titles only, nothing to click. */
  kiosk?: boolean;
  /** Per dashboard id: how many firing alerts its sections have, and the most severe. */
  alertCounts?: Record<string, { count: number; severity: AlertSeverity }>;
}

/** The dashboards as tabs (keys 1-9 switch, see useDashboardPages); in TV mode a page indicator. */
export function DashboardTabs({
  pages,
  current,
  onSelect,
  kiosk = false,
  alertCounts = {},
}: DashboardTabsProps) {
  if (pages.length === 0) return null;
  if (kiosk) {
    return (
      <nav className="dashboard-tabs dashboard-tabs--kiosk" aria-label="Dashboards">
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
  return (
    <div className="dashboard-tabs" role="tablist" aria-label="Dashboards">
      {pages.map((d, i) => {
        const alerts = d.id === undefined ? undefined : alertCounts[d.id];
        const count = alerts?.count ?? 0;
        return (
          <button
            key={d.id ?? '*'}
            type="button"
            role="tab"
            id={`dashboard-tab-${d.id ?? 'all'}`}
            data-testid={`dashboard-tab-${d.id ?? 'all'}`}
            aria-selected={d.id === current.id}
            className={`dashboard-tab${d.id === current.id ? ' is-current' : ''}`}
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
  );
}
