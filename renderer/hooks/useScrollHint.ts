import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Whether an element that scrolls sideways has more content to its right (or left), for a
 * "scroll →" hint: measured on scroll and whenever the element or its content resizes.
 */
export function useScrollHint(): {
  ref: (element: HTMLElement | null) => void;
  more: { left: boolean; right: boolean };
} {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [more, setMore] = useState({ left: false, right: false });
  const frame = useRef(0);

  const measure = useCallback((el: HTMLElement) => {
    const left = el.scrollLeft > 1;
    const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
    setMore((m) => (m.left === left && m.right === right ? m : { left, right }));
  }, []);

  useEffect(() => {
    if (!element) return;
    measure(element);
    const onScroll = () => {
      cancelAnimationFrame(frame.current);
      frame.current = requestAnimationFrame(() => measure(element));
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    const observer =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => measure(element));
    observer?.observe(element);
    if (element.firstElementChild) observer?.observe(element.firstElementChild);
    return () => {
      element.removeEventListener('scroll', onScroll);
      observer?.disconnect();
      cancelAnimationFrame(frame.current);
    };
  }, [element, measure]);

  return { ref: setElement, more };
}
