import { useLayoutEffect, useState } from 'react';

export interface ContentBox {
  width: number;
  height: number;
}

/**
 * The content box of an element, rounded to whole px, read once before the first paint (a layout
 * effect). A chart given it as its initial size is drawn at its real size in its first frame;
 * recharts' ResponsiveContainer keeps following resizes. Undefined until measured; null where
 * there is no layout (a box of 0 x 0, as in jsdom).
 */
export function useContentBox(): {
  ref: (element: HTMLElement | null) => void;
  box: ContentBox | null | undefined;
} {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [box, setBox] = useState<ContentBox | null | undefined>();
  useLayoutEffect(() => {
    if (!element) return;
    const style = getComputedStyle(element);
    const px = (value: string) => Number.parseFloat(value) || 0;
    const width = element.clientWidth - px(style.paddingLeft) - px(style.paddingRight);
    const height = element.clientHeight - px(style.paddingTop) - px(style.paddingBottom);
    setBox(
      width > 0 && height > 0 ? { width: Math.round(width), height: Math.round(height) } : null,
    );
  }, [element]);
  return { ref: setElement, box };
}
