import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DashboardInfo } from '../../common/alerts.js';
import type { PushClient } from '../live/PushClient.js';
import { urlWithDashboard, type ViewOptions } from '../live/viewOptions.js';
import { useStore } from './useStore.js';

/** A tab: a configured dashboard, or (id undefined) every section on one page. */
export interface DashboardPage {
  id: string | undefined;
  title: string;
  /** Section ids in display order; undefined: all of them. */
  sections: string[] | undefined;
}

export const ALL_SECTIONS: DashboardPage = {
  id: undefined,
  title: 'All sections',
  sections: undefined,
};

export interface DashboardPages {
  /** The tabs: none without `dashboards:`; at a desk "All sections" first, then the dashboards. */
  pages: DashboardPage[];
  current: DashboardPage;
  select: (id: string | undefined) => void;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

const asPage = (d: DashboardInfo): DashboardPage => ({ ...d });

/**
 * Which page is on screen: `?dashboard=<id>` at start, keys 1-9, the tabs, and in TV mode the
 * `rotate` period. At a desk the first tab is "All sections" (the console as it was before
 * dashboards; the URL then has no `dashboard`); in TV mode only the configured dashboards, the
 * first one by default. The URL follows (history.replaceState), so a reload or a copied link
 * opens the same page. Every section stays subscribed whatever the page: switching is instant
 * and an alert on another page still shows in the strip.
 */
export function useDashboardPages(client: PushClient, options: ViewOptions): DashboardPages {
  const held = useStore(client.sections).dashboards;
  const { kiosk } = options;
  const pages = useMemo(() => {
    const configured = (held ?? []).map(asPage);
    if (configured.length === 0) return [];
    return kiosk ? configured : [ALL_SECTIONS, ...configured];
  }, [held, kiosk]);
  const [selected, setSelected] = useState<string | undefined>(options.dashboard);
  const current = pages.find((p) => p.id === selected) ?? pages[0] ?? ALL_SECTIONS;

  const select = useCallback((id: string | undefined) => setSelected(id), []);

  useEffect(() => {
    if (pages.length === 0) return;
    const next = urlWithDashboard(window.location.href, current.id);
    if (next !== window.location.href) window.history.replaceState(window.history.state, '', next);
  }, [current, pages]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (!/^[1-9]$/.test(event.key)) return;
      const page = pages[Number(event.key) - 1];
      if (page) setSelected(page.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pages]);

  const currentId = current.id;
  const rotateMs = kiosk ? options.rotateMs : undefined;
  useEffect(() => {
    if (rotateMs === undefined || pages.length < 2) return;
    const timer = setTimeout(() => {
      const index = pages.findIndex((p) => p.id === currentId);
      setSelected(pages[(index + 1) % pages.length]?.id);
    }, rotateMs);
    return () => clearTimeout(timer);
  }, [rotateMs, pages, currentId]);

  return { pages, current, select };
}
