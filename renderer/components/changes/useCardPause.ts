import { useCallback, useMemo, useState } from 'react';
import { newerVersions, pausedView, pauseMark, type PauseMark } from '../../live/pause.js';
import type { SectionView } from '../../live/state.js';

export interface CardPause {
  /** What the card shows: the live view, or the one it held when paused. */
  shown: SectionView;
  /** Versions received since the card was paused; undefined while it is live. */
  newer: number | undefined;
  toggle: () => void;
}

/**
 * A card's pause: while paused it shows the data it had when paused (the store keeps receiving),
 * and counts the newer versions; resuming shows the latest at once.
 */
export function useCardPause(live: SectionView): CardPause {
  const [mark, setMark] = useState<PauseMark | undefined>();
  const shown = useMemo(() => (mark ? pausedView(live, mark) : live), [live, mark]);
  const toggle = useCallback(
    () => setMark((current) => (current ? undefined : pauseMark(live))),
    [live],
  );
  return { shown, newer: mark ? newerVersions(live, mark) : undefined, toggle };
}
