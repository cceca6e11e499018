import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../common/alerts.js';
import {
  ALERT_HISTORY,
  applyAlert,
  beginAlertResync,
  endAlertResync,
  firingList,
  initialAlerts,
} from './alertsReducer.js';

const fire = (id: string, since: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
  id,
  section: 'kpis',
  severity: 'warning',
  state: 'firing',
  value: 60,
  since,
  message: `${id} fired`,
  ...over,
});
const resolve = (id: string, since: string): AlertEvent => ({
  ...fire(id, since),
  state: 'resolved',
});
const T1 = '2026-12-01T10:00:00.000Z';
const T2 = '2026-12-01T10:01:00.000Z';
const T3 = '2026-12-01T10:02:00.000Z';

describe('alerts reducer', () => {
  it('fires, dedupes the same firing (id + since) and resolves it', () => {
    const one = applyAlert(initialAlerts, fire('a', T1), 1);
    expect(Object.keys(one.firing)).toEqual(['a']);
    expect(one.history).toHaveLength(1);
    const again = applyAlert(one, fire('a', T1), 2);
    expect(again).toBe(one);
    const done = applyAlert(again, resolve('a', T2), 3);
    expect(done.firing).toEqual({});
    expect(done.history.map((h) => h.event.state)).toEqual(['resolved', 'firing']);
    expect(applyAlert(done, resolve('a', T2), 4)).toBe(done);
  });

  it('takes a restated firing (same since, new figures) without a new history line', () => {
    const one = applyAlert(initialAlerts, fire('a', T1), 1);
    const moved = applyAlert(one, { ...fire('a', T1), value: 148, message: '148 waiting' }, 5);
    expect(moved.firing.a?.event).toMatchObject({ since: T1, value: 148, message: '148 waiting' });
    expect(moved.firing.a?.receivedAt).toBe(1);
    expect(moved.history).toBe(one.history);
  });

  it('ignores a late copy of a firing that already resolved, accepts a newer firing', () => {
    let s = applyAlert(initialAlerts, fire('a', T1), 1);
    s = applyAlert(s, resolve('a', T2), 2);
    const late = applyAlert(s, fire('a', T1), 3);
    expect(late).toBe(s);
    const next = applyAlert(s, fire('a', T3), 4);
    expect(next.firing.a?.event.since).toBe(T3);
  });

  it('does not depend on the order of events: a resolution older than the firing held keeps it', () => {
    let s = applyAlert(initialAlerts, fire('a', T3), 1);
    s = applyAlert(s, resolve('a', T2), 2);
    expect(s.firing.a?.event.since).toBe(T3);
    expect(s.history).toHaveLength(2);
  });

  it('after a resync keeps what the server resent and drops the rest as lost', () => {
    let s = applyAlert(initialAlerts, fire('a', T1), 1);
    s = applyAlert(s, fire('b', T1, { severity: 'critical' }), 2);
    s = beginAlertResync(s);
    expect(s.resyncing).toBe(true);
    expect(s.firing.a?.unconfirmed).toBe(true);
    s = applyAlert(s, fire('b', T1, { severity: 'critical' }), 3);
    expect(s.firing.b?.unconfirmed).toBeUndefined();
    s = endAlertResync(s, 4);
    expect(Object.keys(s.firing)).toEqual(['b']);
    expect(s.resyncing).toBe(false);
    expect(s.history[0]).toMatchObject({ outcome: 'lost', event: { id: 'a' } });
    // The lost one comes back if the server sends it again later (a node catching up).
    s = applyAlert(s, fire('a', T1), 5);
    expect(Object.keys(s.firing).sort()).toEqual(['a', 'b']);
  });

  it('a resync that resends nothing leaves nothing firing', () => {
    const s = endAlertResync(beginAlertResync(applyAlert(initialAlerts, fire('a', T1), 1)), 2);
    expect(firingList(s)).toEqual([]);
  });

  it('orders firing alerts by severity, then newest first, and bounds the history', () => {
    let s = initialAlerts;
    s = applyAlert(s, fire('i', T3, { severity: 'info' }), 1);
    s = applyAlert(s, fire('w1', T1), 1);
    s = applyAlert(s, fire('w2', T2), 1);
    s = applyAlert(s, fire('c', T1, { severity: 'critical' }), 1);
    expect(firingList(s).map((f) => f.event.id)).toEqual(['c', 'w2', 'w1', 'i']);
    for (let i = 0; i < ALERT_HISTORY + 10; i++) {
      s = applyAlert(s, fire('x', new Date(Date.parse(T3) + i * 1000).toISOString()), i);
    }
    expect(s.history).toHaveLength(ALERT_HISTORY);
  });
});
