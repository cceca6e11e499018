/**
 * Which axis (and which panel) each chart series is drawn on, so that no series is ever drawn
 * flat along the floor of a scale made for a much larger one. Pure: no React, no DOM.
 */

export type Axis = 'left' | 'right';

export interface AxisPlacement {
  key: string;
  axis: Axis;
  /** 0 = the main chart; 1, 2, ... = extra panels below it, for a third magnitude and beyond. */
  panel: number;
}

/** Series this many times smaller than the largest on their axis get an axis of their own. */
export const AUTO_SPLIT_FACTOR = 8;
/** Below this share of its axis a series would be invisible: never drawn like that. */
export const HIDDEN_SHARE = 0.02;

/**
 * Groups series by magnitude (largest first), each group within AUTO_SPLIT_FACTOR of its largest
 * member. Empty series (all zero or missing) join the first group: there is nothing to hide.
 */
function magnitudeGroups(keys: readonly string[], size: (key: string) => number): string[][] {
  const sorted = [...keys].sort((a, b) => size(b) - size(a));
  const groups: { max: number; keys: string[] }[] = [];
  for (const key of sorted) {
    const s = size(key);
    const last = groups.at(-1);
    if (last && (s === 0 || s * AUTO_SPLIT_FACTOR >= last.max)) last.keys.push(key);
    else groups.push({ max: s, keys: [key] });
  }
  return groups.map((g) => g.keys);
}

/**
 * Places series on axes: with `y2`, those series go on the right axis and the rest on the left;
 * without it, by magnitude (a second magnitude on the right axis). Any series that would still be
 * drawn below HIDDEN_SHARE of its axis (a third magnitude, or an explicit y2 that puts very
 * different series together) goes to an extra panel below, with axes of its own.
 * The result keeps the order of `keys`.
 */
export function placeSeries(
  keys: readonly string[],
  size: (key: string) => number,
  y2?: readonly string[],
): AxisPlacement[] {
  const placed = new Map<string, AxisPlacement>();
  let rest: string[];
  if (y2 && y2.length > 0) {
    const right = new Set(y2);
    rest = [];
    for (const axis of ['left', 'right'] as const) {
      const onAxis = keys.filter((k) => (axis === 'right') === right.has(k));
      const max = Math.max(0, ...onAxis.map(size));
      for (const key of onAxis) {
        const s = size(key);
        if (s === 0 || s >= max * HIDDEN_SHARE) placed.set(key, { key, axis, panel: 0 });
        else rest.push(key);
      }
    }
    // A right axis left empty is simply not drawn; overflow goes to panels from 1 on.
    placeGroups(magnitudeGroups(rest, size), 1, placed);
  } else {
    placeGroups(magnitudeGroups(keys, size), 0, placed);
  }
  return keys.map((key) => placed.get(key) ?? { key, axis: 'left', panel: 0 });
}

function placeGroups(groups: string[][], firstPanel: number, placed: Map<string, AxisPlacement>) {
  groups.forEach((group, i) => {
    const panel = firstPanel + Math.floor(i / 2);
    const axis: Axis = i % 2 === 0 ? 'left' : 'right';
    for (const key of group) placed.set(key, { key, axis, panel });
  });
}
