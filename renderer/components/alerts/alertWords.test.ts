/** The alert strip's and history's words read as plain English. */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../common/alerts.js';
import { clockTime, firingFor, historyWords, quietWords } from './alertWords.js';

const event: AlertEvent = {
  id: 'open-orders-high',
  section: 'kpis',
  severity: 'warning',
  state: 'firing',
  since: '2026-12-01T14:33:00.000Z',
  message: '57 orders are waiting',
};

describe('alert words', () => {
  it('says for how long an alert has fired, never "since 22 s ago"', () => {
    expect(firingFor(500)).toBe('just started firing');
    expect(firingFor(22_000)).toBe('firing for 22 s');
    expect(firingFor(65 * 60_000)).toBe('firing for 1 h 5 min');
  });

  it('says why an alert is quiet', () => {
    const none = { acked: {}, snoozed: {}, sound: false };
    expect(quietWords(none, event, 0)).toBeUndefined();
    const acked = { ...none, acked: { [`open-orders-high@${event.since}`]: 1 } };
    expect(quietWords(acked, event, 0)).toBe('acknowledged');
    const until = Date.UTC(2026, 11, 1, 15, 45);
    const snoozed = { ...none, snoozed: { 'open-orders-high': until } };
    expect(quietWords(snoozed, event, until - 1, 'en-US')).toBe(
      `snoozed until ${clockTime(until, 'en-US')}`,
    );
    expect(clockTime(until, 'en-US')).toMatch(/^\d{1,2}:45 (AM|PM)$/);
    expect(quietWords(snoozed, event, until)).toBeUndefined(); // the snooze ran out
  });

  it('words history lines by outcome', () => {
    expect(historyWords({ event, receivedAt: 0 })).toBe('Fired: 57 orders are waiting');
    expect(historyWords({ event: { ...event, state: 'resolved' }, receivedAt: 0 })).toBe(
      'Resolved — was “57 orders are waiting”',
    );
    expect(historyWords({ event, receivedAt: 0, outcome: 'lost' })).toBe(
      'No longer reported after a reconnect — was “57 orders are waiting”',
    );
  });
});
