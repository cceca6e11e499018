/**
 * The push client's connection state from one phase to the next, as pure functions (the client
 * owns the socket and the timers; these say what the connection store holds after each event).
 */
import type { ConnectionState } from './state.js';

/** Backoff of automatic reconnection attempts. */
export interface RetryBackoff {
  initialMs: number;
  maxMs: number;
}

/** A wake() reconnect: at once (no attempt counted, no retry pending), stale until resynced. */
export function wakingState(state: ConnectionState, now: number): ConnectionState {
  return {
    ...state,
    phase: state.phase === 'connected' ? 'reconnecting' : state.phase,
    attempt: 0,
    nextRetryAt: undefined,
    disconnectedSince: state.disconnectedSince ?? now,
    rttMs: undefined,
  };
}

/** The resync is complete: live, and whatever went wrong before is over. */
export function connectedState(state: ConnectionState): ConnectionState {
  return {
    ...state,
    phase: 'connected',
    attempt: 0,
    nextRetryAt: undefined,
    disconnectedSince: undefined,
    lastError: undefined,
    serverShutdown: undefined,
  };
}

/** The server refused the token (or wants one): no retry is pending. */
export function refusedState(state: ConnectionState, now: number): ConnectionState {
  return {
    ...state,
    phase: 'unauthorized',
    nextRetryAt: undefined,
    disconnectedSince: state.disconnectedSince ?? now,
    lastError: state.target?.token ? 'the server refused the token' : 'the server needs a token',
  };
}

/** The wait before retry `attempt` (1, 2, ...): doubling up to the maximum, ±25 % jitter. */
export function retryDelayMs(attempt: number, retry: RetryBackoff, random = Math.random): number {
  const base = Math.min(retry.maxMs, retry.initialMs * 2 ** Math.min(attempt - 1, 10));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** A failure (`why`, in words) with the next attempt `delayMs` from `now`. */
export function retryingState(
  state: ConnectionState,
  why: string,
  delayMs: number,
  now: number,
  phase?: 'unauthorized',
): ConnectionState {
  const wasConnected = state.phase === 'connected' || state.phase === 'reconnecting';
  return {
    ...state,
    phase: phase ?? (wasConnected ? 'reconnecting' : 'unreachable'),
    attempt: state.attempt + 1,
    nextRetryAt: now + delayMs,
    disconnectedSince: state.disconnectedSince ?? now,
    lastError: why,
    rttMs: undefined,
    degraded: undefined, // the next server says so again if it still is
  };
}

/** Why a connection ended, in words for people (`serverShutdown`: the server said it stops). */
export function disconnectWords(reason: string, serverShutdown: boolean | undefined): string {
  if (reason === 'io server disconnect') return 'the server closed the connection';
  if (serverShutdown) return 'the server is restarting or was stopped';
  return `connection lost (${reason})`;
}
