/** The connection phases the push client moves through, without a socket. */
import { describe, expect, it } from 'vitest';
import {
  connectedState,
  disconnectWords,
  refusedState,
  retryDelayMs,
  retryingState,
  wakingState,
} from './connectionPhases.js';
import { initialConnection, type ConnectionState } from './state.js';

const target = { id: 'p', name: 'P', url: 'http://a:3001', token: 't' };
const connected: ConnectionState = {
  ...initialConnection,
  phase: 'connected',
  target,
  rttMs: 3,
  degraded: 'cluster degraded',
};

describe('connection phases', () => {
  it('doubles the retry wait up to the maximum, with at most 25 % jitter either way', () => {
    const backoff = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 40].map((n) => retryDelayMs(n, backoff, () => 0.5))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(retryDelayMs(2, backoff, () => 0)).toBe(150);
    expect(retryDelayMs(2, backoff, () => 0.999_999)).toBe(250);
  });

  it('a failure after being connected is reconnecting, counted, its words kept, nothing live', () => {
    const next = retryingState(connected, 'connection lost (ping timeout)', 400, 1000);
    expect(next).toMatchObject({
      phase: 'reconnecting',
      attempt: 1,
      nextRetryAt: 1400,
      disconnectedSince: 1000,
      lastError: 'connection lost (ping timeout)',
    });
    expect(next.rttMs).toBeUndefined();
    expect(next.degraded).toBeUndefined();
    const again = retryingState({ ...next, phase: 'unreachable' }, 'x', 800, 2000);
    expect(again).toMatchObject({ phase: 'unreachable', attempt: 2, disconnectedSince: 1000 });
    expect(retryingState(next, 'refused', 800, 2000, 'unauthorized').phase).toBe('unauthorized');
  });

  it('waking keeps the phase unless connected, and resets the attempts', () => {
    const retrying = retryingState(connected, 'lost', 400, 1000);
    expect(wakingState(connected, 5000)).toMatchObject({
      phase: 'reconnecting',
      attempt: 0,
      disconnectedSince: 5000,
    });
    const woken = wakingState(retrying, 5000);
    expect(woken).toMatchObject({ phase: 'reconnecting', attempt: 0, disconnectedSince: 1000 });
    expect(woken.nextRetryAt).toBeUndefined();
  });

  it('connected clears every trace of the failure', () => {
    const failed = { ...retryingState(connected, 'lost', 400, 1000), serverShutdown: true };
    const next = connectedState(failed);
    expect(next).toMatchObject({ phase: 'connected', attempt: 0, target });
    for (const key of ['nextRetryAt', 'disconnectedSince', 'lastError', 'serverShutdown'] as const)
      expect(next[key], key).toBeUndefined();
  });

  it('a refused token says whether one was sent', () => {
    expect(refusedState(connected, 7)).toMatchObject({
      phase: 'unauthorized',
      disconnectedSince: 7,
      lastError: 'the server refused the token',
    });
    const anonymous = { id: 'p', name: 'P', url: 'http://a:3001' };
    expect(refusedState({ ...connected, target: anonymous }, 7).lastError).toBe(
      'the server needs a token',
    );
  });

  it('says why a connection ended', () => {
    expect(disconnectWords('io server disconnect', true)).toBe('the server closed the connection');
    expect(disconnectWords('transport close', true)).toBe(
      'the server is restarting or was stopped',
    );
    expect(disconnectWords('transport close', undefined)).toBe('connection lost (transport close)');
  });
});
