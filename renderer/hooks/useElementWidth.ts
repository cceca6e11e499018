import { useLayoutEffect, useState } from 'react';

/**
 * The content width of an element in px, rounded down to `step` so that small resizes do not
 * rebuild what depends on it; undefined until measured (or where ResizeObserver is missing).
 * Measured before the first paint (a layout effect), so what depends on it is drawn once, at the
 * right width, instead of once at a guess and again a frame later.
 */
export function useElementWidth(step = 16): {
  ref: (element: HTMLElement | null) => void;
  width: number | undefined;
} {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState<number | undefined>();
  useLayoutEffect(() => {
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const w = Math.floor(element.clientWidth / step) * step;
      setWidth((old) => (old === w ? old : w));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, step]);
  return { ref: setElement, width };
}
