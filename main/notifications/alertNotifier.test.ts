/** Desktop notifications for alerts: once per firing, none while muted, a click shows the card. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertFocus, AlertsReport, ReportedAlert } from '../../common/ipc.js';
import { fake } from '../../test/helpers/fakeElectron.js';
import { OPEN_ORDERS_HIGH } from '../../test/helpers/reportedAlerts.js';
import { REMEMBERED_FIRINGS, decideAlertNotices } from './alertNotifier.js';
import { setupAlertNotifier } from './setupAlertNotifier.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

const high = OPEN_ORDERS_HIGH;
const down: ReportedAlert = {
  id: 'checkout-down',
  section: 'sales',
  sectionTitle: 'Sales',
  severity: 'critical',
  since: '2026-12-01T15:31:00.000Z',
  message: 'No sale for 2 minutes',
};

const report = (loud: ReportedAlert[], sound = false): AlertsReport => ({ loud, sound });

describe('decideAlertNotices', () => {
  it('tells each firing once, in words for people', () => {
    const first = decideAlertNotices([], report([high]), false);
    expect(first.notices).toEqual([
      {
        key: 'open-orders-high@2026-12-01T15:30:00.000Z',
        title: 'Warning: Key figures',
        body: '57 orders are waiting',
        urgent: false,
        focus: { id: 'open-orders-high', section: 'kpis' },
      },
    ]);
    // Sent again (a reconnect, a resync, the console reloaded): not told again.
    const again = decideAlertNotices(first.seen, report([high, down]), false);
    expect(again.notices.map((n) => n.title)).toEqual(['Critical: Sales']);
    expect(again.notices[0]?.urgent).toBe(true);
    expect(decideAlertNotices(again.seen, report([high, down]), false).notices).toEqual([]);
    // The same rule firing anew (another `since`) is a new firing.
    const anew = { ...high, since: '2026-12-01T16:00:00.000Z' };
    expect(decideAlertNotices(again.seen, report([anew]), false).notices).toHaveLength(1);
  });

  it('tells nothing while muted, and does not replay it after unmuting', () => {
    const muted = decideAlertNotices([], report([high]), true);
    expect(muted.notices).toEqual([]);
    expect(decideAlertNotices(muted.seen, report([high]), false).notices).toEqual([]);
  });

  it('remembers a bounded number of firings', () => {
    let seen: string[] = [];
    for (let i = 0; i < REMEMBERED_FIRINGS + 50; i++) {
      const since = new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString();
      seen = decideAlertNotices(seen, report([{ ...high, since }]), false).seen;
    }
    expect(seen).toHaveLength(REMEMBERED_FIRINGS);
  });
});

describe('setupAlertNotifier', () => {
  beforeEach(() => fake.reset());

  it('shows Electron notifications, silent unless sound is on; a click shows the window and the card', () => {
    let muted = false;
    const calls: string[] = [];
    const focused: AlertFocus[] = [];
    const notifier = setupAlertNotifier({
      muted: () => muted,
      showWindow: () => calls.push('show'),
      focusAlert: (f) => focused.push(f),
    });
    notifier.report(report([high]));
    notifier.report(report([high]));
    expect(fake.state.notifications.map((n) => n.options)).toEqual([
      {
        title: 'Warning: Key figures',
        body: '57 orders are waiting',
        silent: true,
        urgency: 'normal',
      },
    ]);
    fake.state.notifications[0]!.emit('click');
    expect(calls).toEqual(['show']);
    expect(focused).toEqual([{ id: 'open-orders-high', section: 'kpis' }]);

    notifier.report(report([high, down], true));
    expect(fake.state.notifications.at(-1)?.options).toMatchObject({
      title: 'Critical: Sales',
      silent: false,
      urgency: 'critical',
    });

    muted = true;
    notifier.report(report([{ ...down, since: '2026-12-01T17:00:00.000Z' }], true));
    expect(fake.state.notifications).toHaveLength(2);
  });

  it('shows nothing where the desktop has no notifications', () => {
    fake.state.notificationsSupported = false;
    setupAlertNotifier({ muted: () => false, showWindow: () => 0, focusAlert: () => 0 }).report(
      report([high]),
    );
    expect(fake.state.notifications).toEqual([]);
  });
});
