import { useLayoutEffect, useRef } from 'react';

/** Room left beside the selected item, so the next one peeks in and says the row scrolls (px). */
const PEEK = 24;

/**
 * Keeps the selected item (`[aria-selected="true"]` or `[aria-current]`) of a row that scrolls
 * sideways in view: when the selection changes (`key`), when the items arrive, and when the row
 * or an item is resized (a phone turned, an alert count added to a tab before it). Only the row
 * scrolls, never the page.
 */
export function useSelectedInView<T extends HTMLElement>(key: string, count: number) {
  const ref = useRef<T | null>(null);
  useLayoutEffect(() => {
    const row = ref.current;
    if (!row) return;
    const reveal = () => {
      const item = row.querySelector<HTMLElement>('[aria-selected="true"], [aria-current]');
      if (!item) return;
      const outer = row.getBoundingClientRect();
      const inner = item.getBoundingClientRect();
      if (inner.left < outer.left) row.scrollLeft -= outer.left - inner.left + PEEK;
      else if (inner.right > outer.right) row.scrollLeft += inner.right - outer.right + PEEK;
    };
    reveal();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(reveal);
    observer.observe(row);
    for (const item of row.children) observer.observe(item);
    return () => observer.disconnect();
  }, [key, count]);
  return ref;
}
