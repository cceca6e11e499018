import { useLayoutEffect, useRef, useState } from 'react';

/**
 * How many body rows of the table inside the element fit its height, for TV mode, where nothing
 * scrolls: the table shows that many and counts the rest ("2 more rows not shown"), rather than
 * cutting a row in half or running off the screen. The element's height must not follow its
 * content (kiosk.css: `contain: size`), so showing fewer rows does not change the answer.
 * Undefined when not enabled or not measured (jsdom has no layout): every row is shown.
 */
export function useRowsThatFit(enabled: boolean): {
  ref: (element: HTMLElement | null) => void;
  fit: number | undefined;
} {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [fit, setFit] = useState<number | undefined>();
  const rowHeight = useRef(0);
  useLayoutEffect(() => {
    if (!enabled || !element || typeof ResizeObserver === 'undefined') {
      setFit(undefined);
      return;
    }
    const measure = () => {
      const row = element.querySelector('tbody tr');
      if (row) rowHeight.current = row.getBoundingClientRect().height;
      const head = element.querySelector('thead')?.getBoundingClientRect().height ?? 0;
      const room = element.clientHeight - head - 2; // the scroller's borders
      if (rowHeight.current <= 0 || element.clientHeight <= 0) return;
      const rows = Math.max(1, Math.floor(room / rowHeight.current));
      setFit((held) => (held === rows ? held : rows));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled, element]);
  return { ref: setElement, fit };
}
