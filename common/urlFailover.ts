/**
 * Which of a profile's node URLs to use: round-robin on failure, starting from (and returning to)
 * the last URL that worked. Pure functions over an immutable state; the console's connection glue
 * (renderer/bridge/electronBridge.ts) drives it from the push client's connection state.
 */

export interface FailoverState {
  readonly urls: readonly string[];
  /** Index of the URL to use now. */
  readonly index: number;
  /** The last URL that connected, if any. */
  readonly lastGood?: string;
  /** Failures since the last success or the last completed round. */
  readonly failedInRound: number;
  /** Complete rounds in which every URL failed, since the last success. */
  readonly failedRounds: number;
}

export interface FailoverBackoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_FAILOVER_BACKOFF: FailoverBackoff = { initialMs: 1000, maxMs: 30_000 };

/** Starts at the last good URL when it is still listed, else at the first. */
export function startFailover(urls: readonly string[], lastGood?: string): FailoverState {
  const unique = [...new Set(urls)];
  const known = lastGood !== undefined && unique.includes(lastGood);
  return {
    urls: unique,
    index: known ? unique.indexOf(lastGood) : 0,
    ...(known ? { lastGood } : {}),
    failedInRound: 0,
    failedRounds: 0,
  };
}

/** The same failover for an edited URL list: keeps the last good URL if it is still there. */
export function withUrls(state: FailoverState, urls: readonly string[]): FailoverState {
  const same = urls.length === state.urls.length && urls.every((u, i) => u === state.urls[i]);
  return same ? state : startFailover(urls, state.lastGood);
}

export function currentUrl(state: FailoverState): string | undefined {
  return state.urls[state.index];
}

/**
 * `url` failed: moves to the next URL. A report about a URL that is no longer the current one
 * (a late failure of a connection already replaced) changes nothing.
 */
export function markFailed(state: FailoverState, url: string): FailoverState {
  if (state.urls.length === 0 || currentUrl(state) !== url) return state;
  const failedInRound = state.failedInRound + 1;
  const roundDone = failedInRound >= state.urls.length;
  return {
    ...state,
    index: (state.index + 1) % state.urls.length,
    failedInRound: roundDone ? 0 : failedInRound,
    failedRounds: roundDone ? state.failedRounds + 1 : state.failedRounds,
  };
}

/** `url` connected: it becomes the last good one and the failure counts start again. */
export function markGood(state: FailoverState, url: string): FailoverState {
  const index = state.urls.indexOf(url);
  if (index < 0) return state;
  return { ...state, index, lastGood: url, failedInRound: 0, failedRounds: 0 };
}

/**
 * How long to wait before trying the current URL: nothing while this round still has untried
 * URLs; after a round in which all failed, exponential backoff by the number of such rounds.
 */
export function failoverDelayMs(
  state: FailoverState,
  backoff: FailoverBackoff = DEFAULT_FAILOVER_BACKOFF,
): number {
  if (state.failedRounds === 0 || state.failedInRound > 0) return 0;
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(state.failedRounds - 1, 16));
}
