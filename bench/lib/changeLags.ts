import type { ChangeWindow } from '../fleet/protocol.js';
import { median, percentile } from './stats.js';

/** Commit -> client figures over a run of changes. */
export interface ChangeLags {
  p50: number;
  p99: number;
  /** Median over the changes of the last client's lag. */
  last: number;
  samples: number;
  /** (client, change) pairs that never arrived. */
  missing: number;
}

/**
 * The lags of the changes `first` .. `last` that are in `committed` (marker -> commit time),
 * from `receipts` (marker -> each client's receipt time), for `clients` clients each.
 */
export function changeLags(
  committed: ReadonlyMap<number, number>,
  receipts: ReadonlyMap<number, readonly number[]>,
  first: number,
  last: number,
  clients: number,
): ChangeLags {
  const all: number[] = [];
  const lastPerChange: number[] = [];
  let missing = 0;
  for (let m = first; m <= last; m++) {
    const at = committed.get(m);
    if (at === undefined) continue; // not one of these changes
    const times = receipts.get(m) ?? [];
    let worst = -Infinity;
    for (const t of times) {
      all.push(t - at);
      if (t - at > worst) worst = t - at;
    }
    if (times.length > 0) lastPerChange.push(worst);
    missing += Math.max(0, clients - times.length);
  }
  return {
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    last: median(lastPerChange),
    samples: all.length,
    missing,
  };
}

/** Each change from `first` on, from its commit to the next one's (the last: open-ended). */
export function changeWindows(
  committed: ReadonlyMap<number, number>,
  first: number,
): ChangeWindow[] {
  const markers = [...committed.keys()].filter((m) => m >= first).sort((x, y) => x - y);
  return markers.map((marker, i) => ({
    marker,
    from: committed.get(marker) ?? NaN,
    to: committed.get(markers[i + 1] ?? NaN) ?? Infinity,
  }));
}
