/**
 * How category labels on a chart's x axis fit the room there is: side by side when they fit,
 * slanted, steeper, or upright and thinned (every n-th label) on narrow cards, so that labels
 * never overlap. Pure: measures are estimates from the tick font size.
 */

export interface XLabelLayout {
  /** 0 = horizontal; negative = slanted up to the left. */
  angle: number;
  /** recharts `interval`: labels skipped between two shown (0 = every label). */
  interval: number;
  /** Height in px the axis needs for its labels. */
  height: number;
}

/**
 * @param count categories on the axis
 * @param longest characters in the longest label (capped: recharts does not wrap)
 * @param plotWidth px available for the categories (undefined: not measured yet, assume roomy)
 * @param fontPx the tick font size in px
 */
export function xLabelLayout(
  count: number,
  longest: number,
  plotWidth: number | undefined,
  fontPx: number,
): XLabelLayout {
  const labelPx = Math.min(longest, 18) * fontPx * 0.58;
  const lineH = fontPx * 1.25;
  const slot = plotWidth !== undefined && count > 0 ? plotWidth / count : Infinity;
  const flatHeight = Math.ceil(lineH + 10);
  if (labelPx + fontPx <= slot) return { angle: 0, interval: 0, height: flatHeight };
  const slanted = (deg: number) =>
    Math.ceil(
      labelPx * Math.sin((deg * Math.PI) / 180) + lineH * Math.cos((deg * Math.PI) / 180) + 6,
    );
  // A slanted label needs lineH / sin(angle) of horizontal room not to touch the next one.
  if (slot >= (lineH / Math.sin((35 * Math.PI) / 180)) * 1.05)
    return { angle: -35, interval: 0, height: slanted(35) };
  if (slot >= (lineH / Math.sin((60 * Math.PI) / 180)) * 1.05)
    return { angle: -60, interval: 0, height: slanted(60) };
  const every = Math.max(1, Math.ceil((lineH * 1.1) / slot));
  return { angle: -90, interval: every - 1, height: Math.ceil(labelPx + 8) };
}
