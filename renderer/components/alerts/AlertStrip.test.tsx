// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../common/alerts.js';
import { useAlertSignals } from '../../hooks/useAlertSignals.js';
import { AlertPrefs } from '../../live/AlertPrefs.js';
import { applyAlert, applyAlertRules, beginAlertResync } from '../../live/alertsReducer.js';
import { PushClient } from '../../live/PushClient.js';
import { applyCatalog } from '../../live/sectionsReducer.js';
import { initialConnection } from '../../live/state.js';
import { AlertStrip } from './AlertStrip.js';

const server = { name: 'opsdeck', version: '0.1.0', nodeId: 'n1', clusterSize: 1 };
const event = (id: string, severity: AlertEvent['severity']): AlertEvent => ({
  id,
  section: 'kpis',
  severity,
  state: 'firing',
  since: new Date().toISOString(),
  message: `${id} is up`,
});

function setup(kiosk = false) {
  const client = new PushClient();
  client.connection.set({ ...initialConnection, phase: 'connected', server });
  client.sections.update((s) =>
    applyCatalog(s, [{ id: 'kpis', title: 'Key figures', view: { type: 'stat' }, mode: 'push' }]),
  );
  client.alerts.update((s) =>
    applyAlertRules(s, [{ id: 'hot', section: 'kpis', when: 'x > 1', severity: 'warning' }]),
  );
  const prefs = new AlertPrefs(window.localStorage);
  function Harness() {
    useAlertSignals(client, prefs);
    return <AlertStrip client={client} prefs={prefs} kiosk={kiosk} />;
  }
  render(<Harness />);
  return { client, prefs };
}

beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

describe('AlertStrip', () => {
  it('shows a firing alert with severity in words, polite or assertive, and counts it in the title', () => {
    const { client } = setup();
    expect(screen.getByTestId('alert-summary').textContent).toBe('No alerts firing');
    expect(document.title).toBe('Opsdeck');
    act(() => {
      client.alerts.update((s) => applyAlert(s, event('hot', 'warning'), 1));
      client.alerts.update((s) => applyAlert(s, event('down', 'critical'), 1));
    });
    const hot = screen.getByTestId('alert-hot');
    expect(hot.textContent).toContain('Warning');
    expect(hot.textContent).toContain('hot is up');
    expect(hot.closest('[role="status"]')).not.toBeNull();
    expect(screen.getByTestId('alert-down').closest('[role="alert"]')).not.toBeNull();
    expect(document.title).toBe('(2) Opsdeck');
  });

  it('acknowledge and snooze make an alert quiet, kept in localStorage, still listed', () => {
    const { client } = setup();
    act(() => {
      client.alerts.update((s) => applyAlert(s, event('hot', 'warning'), 1));
      client.alerts.update((s) => applyAlert(s, event('down', 'critical'), 1));
    });
    const [first] = screen.getAllByRole('button', { name: 'Acknowledge' });
    if (first) fireEvent.click(first);
    expect(screen.getByTestId('alert-down').dataset.quiet).toBe('true');
    expect(document.title).toBe('(1) Opsdeck');
    fireEvent.click(screen.getByRole('button', { name: 'Snooze 1 h: hot' }));
    expect(screen.getByTestId('alert-hot').dataset.quiet).toBe('true');
    expect(document.title).toBe('Opsdeck');
    const stored = JSON.parse(window.localStorage.getItem('opsdeck.alertPrefs.v1') ?? '{}') as {
      snoozed: Record<string, number>;
    };
    expect(stored.snoozed.hot).toBeGreaterThan(Date.now());
    expect(screen.getByTestId('alert-hot').textContent).toMatch(
      /Key figures · (just started firing|firing for \d+ s) · snoozed until \d{1,2}:\d{2}/,
    );
    expect(screen.getByTestId('alert-down').textContent).toContain(' · acknowledged');
    // Another page (a reload) reads the same choices.
    const again = new AlertPrefs(window.localStorage);
    expect(Object.keys(again.store.get().acked)).toHaveLength(1);
  });

  it('never shows held alerts as live while disconnected or unconfirmed', () => {
    const { client } = setup();
    act(() => client.alerts.update((s) => applyAlert(s, event('hot', 'warning'), 1)));
    act(() => {
      client.connection.update((c) => ({ ...c, phase: 'reconnecting' }));
      client.alerts.update(beginAlertResync);
    });
    const hot = screen.getByTestId('alert-hot');
    expect(hot.className).toContain('is-stale');
    expect(hot.textContent).toContain('not confirmed — disconnected');
    expect(document.title).toBe('Opsdeck — disconnected');
  });

  it('opens the history, and in kiosk mode has no buttons at all', () => {
    const { client } = setup();
    act(() => client.alerts.update((s) => applyAlert(s, event('hot', 'warning'), 1)));
    fireEvent.click(screen.getByRole('button', { name: 'History (1)' }));
    expect(screen.getByTestId('alert-history').textContent).toContain('Fired: hot is up');
    expect(screen.getByTestId('alert-history').textContent).toContain('Key figures · rule hot');
    // It scrolls: a named region keyboard users can reach and scroll (axe scrollable-region-focusable).
    const region = screen.getByRole('region', { name: 'Recent alerts' });
    expect(region).toBe(screen.getByTestId('alert-history'));
    expect(region.tabIndex).toBe(0);
    cleanup();
    const kiosk = setup(true);
    act(() => kiosk.client.alerts.update((s) => applyAlert(s, event('hot', 'warning'), 1)));
    expect(screen.getByTestId('alert-hot')).toBeTruthy();
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
  });
});
