/**
 * Per-second rates of a `$cluster` node's counters (queries, updates sent), measured on the
 * server's clock: between the times the server read the rows (`queriedAt`), never between the
 * moments two updates happened to reach the browser (an initial snapshot and the next update can
 * arrive a millisecond apart: 3 updates / 1 ms would read as 3,000/s). A rate is only taken over
 * at least RATE_MIN_INTERVAL_MS; a sample that comes sooner keeps the rate measured before.
 * Pure: no React, no DOM.
 */
import type { ClusterRow } from '../../common/clusterRow.js';
import { parseTime } from '../format/format.js';

/** The shortest interval a rate is measured over (`$cluster` is read every 2 s, or on request). */
export const RATE_MIN_INTERVAL_MS = 1500;

/** A node's counters and when the server read them (epoch ms, the server's clock). */
export interface CounterSample {
  at: number;
  queries: number;
  updatesSent: number;
}

export interface NodeRates {
  queriesPerSec: number;
  updatesPerSec: number;
}

/** When the server read an update's rows: its `queriedAt`, else (unreadable) `fallback`. */
export function sampleTime(queriedAt: string, fallback: number): number {
  const at = parseTime(queriedAt);
  return Number.isFinite(at) ? at : fallback;
}

export function counterSample(node: ClusterRow, at: number): CounterSample {
  return { at, queries: node.queries, updatesSent: node.updatesSent };
}

/**
 * The next baseline and rates from `sample`: `base` is the sample the last rate was measured
 * from, `rates` that rate (undefined: none measured yet). Too soon after `base` (or an older
 * sample: a resent snapshot): the same baseline and rates. Counters that went back (a reset)
 * start a new baseline with no rate yet: nothing is known of the interval.
 */
export function nextRates(
  base: CounterSample | undefined,
  rates: NodeRates | undefined,
  sample: CounterSample,
): { base: CounterSample; rates: NodeRates | undefined } {
  if (!base) return { base: sample, rates: undefined };
  if (sample.queries < base.queries || sample.updatesSent < base.updatesSent) {
    return { base: sample, rates: undefined };
  }
  const ms = sample.at - base.at;
  if (ms < RATE_MIN_INTERVAL_MS) return { base, rates };
  return {
    base: sample,
    rates: {
      queriesPerSec: ((sample.queries - base.queries) * 1000) / ms,
      updatesPerSec: ((sample.updatesSent - base.updatesSent) * 1000) / ms,
    },
  };
}
