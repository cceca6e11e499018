/** When to show desktop notifications: lost > 10 s, sections turning unhealthy, switches. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionReport, NotificationPrefs } from '../../common/ipc.js';
import { fake } from '../../test/helpers/fakeElectron.js';
import {
  CONNECTION_LOST_AFTER_MS,
  initialNotifierState,
  onReport,
  onTick,
  type NotifierState,
} from './notifier.js';
import { setupNotifier } from './setupNotifier.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

const ON: NotificationPrefs = { connectionLost: true, sectionUnhealthy: true };
const OFF: NotificationPrefs = { connectionLost: false, sectionUnhealthy: false };

function report(
  phase: ConnectionReport['phase'],
  unhealthy: string[] = [],
  targetName = 'Production',
): ConnectionReport {
  return {
    phase,
    targetName,
    unhealthySections: unhealthy.map((id) => ({
      id,
      title: id.toUpperCase(),
      error: `${id} failed`,
    })),
  };
}

/** Feeds reports at the given times; returns the notice kinds and the final state. */
function run(
  steps: [number, ConnectionReport | 'tick'][],
  prefs = ON,
): { kinds: string[]; state: NotifierState; checkAt: number | undefined } {
  let state = initialNotifierState;
  let checkAt: number | undefined;
  const kinds: string[] = [];
  for (const [at, step] of steps) {
    const d = step === 'tick' ? onTick(state, at, prefs) : onReport(state, step, at, prefs);
    state = d.state;
    checkAt = d.checkAt;
    kinds.push(...d.notices.map((n) => n.kind));
  }
  return { kinds, state, checkAt };
}

describe('notifier decisions', () => {
  it('tells about a lost connection only after 10 s, once per outage', () => {
    const lost = run([
      [0, report('connected')],
      [1000, report('reconnecting')],
    ]);
    expect(lost.kinds).toEqual([]);
    expect(lost.checkAt).toBe(1000 + CONNECTION_LOST_AFTER_MS);
    expect(
      run([
        [0, report('connected')],
        [1000, report('reconnecting')],
        [10_999, 'tick'],
      ]).kinds,
    ).toEqual([]);
    expect(
      run([
        [0, report('connected')],
        [1000, report('reconnecting')],
        [11_000, 'tick'],
        [12_000, report('reconnecting')],
        [30_000, 'tick'],
      ]).kinds,
    ).toEqual(['connection-lost']);
  });

  it('a blip shorter than 10 s says nothing; a new outage after reconnecting counts again', () => {
    expect(
      run([
        [0, report('connected')],
        [1000, report('reconnecting')],
        [5000, report('connected')],
        [20_000, 'tick'],
        [21_000, report('reconnecting')],
        [31_000, 'tick'],
      ]).kinds,
    ).toEqual(['connection-lost']);
  });

  it('failover reconnects (connecting/unreachable on the same profile) count as lost', () => {
    expect(
      run([
        [0, report('connected')],
        [1000, report('connecting')],
        [2000, report('unreachable')],
        [12_000, 'tick'],
      ]).kinds,
    ).toEqual(['connection-lost']);
  });

  it('never-connected targets and disconnecting on purpose say nothing', () => {
    expect(
      run([
        [0, report('connecting')],
        [1000, report('unreachable')],
        [60_000, 'tick'],
      ]).kinds,
    ).toEqual([]);
    expect(
      run([
        [0, report('connected')],
        [1000, report('idle')],
        [60_000, 'tick'],
      ]).kinds,
    ).toEqual([]);
  });

  it('switching targets starts afresh', () => {
    expect(
      run([
        [0, report('connected', [], 'A')],
        [1000, report('connecting', [], 'B')],
        [60_000, 'tick'],
      ]).kinds,
    ).toEqual([]);
  });

  it('tells when a section turns unhealthy, once per transition', () => {
    const result = run([
      [0, report('connected')],
      [1000, report('connected', ['sales'])],
      [2000, report('connected', ['sales'])],
      [3000, report('connected', ['sales', 'kpis'])],
      [4000, report('connected', [])],
      [5000, report('connected', ['sales'])],
    ]);
    expect(result.kinds).toEqual(['section-unhealthy', 'section-unhealthy', 'section-unhealthy']);
  });

  it('both kinds can be switched off', () => {
    expect(
      run(
        [
          [0, report('connected')],
          [1000, report('reconnecting', ['sales'])],
          [60_000, 'tick'],
        ],
        OFF,
      ).kinds,
    ).toEqual([]);
    const onlyLost = { connectionLost: true, sectionUnhealthy: false };
    expect(
      run(
        [
          [0, report('connected', ['sales'])],
          [1000, report('reconnecting', ['sales'])],
          [60_000, 'tick'],
        ],
        onlyLost,
      ).kinds,
    ).toEqual(['connection-lost']);
  });

  it('words the notices for people', () => {
    const d = onReport(initialNotifierState, report('connected', ['sales']), 0, ON);
    expect(d.notices).toEqual([
      {
        kind: 'section-unhealthy',
        title: 'Section “SALES” is failing',
        body: 'sales failed (Production)',
      },
    ]);
  });
});

describe('setupNotifier', () => {
  beforeEach(() => {
    fake.reset();
    vi.useFakeTimers();
  });

  it('shows desktop notifications on its own timer; clicking one shows the window', () => {
    let now = 0;
    let shown = 0;
    const notifier = setupNotifier({ prefs: () => ON, showWindow: () => shown++, now: () => now });
    notifier.report(report('connected'));
    notifier.report(report('reconnecting'));
    now = 10_000;
    vi.advanceTimersByTime(10_000);
    expect(fake.state.notifications.map((n) => n.options.title)).toEqual(['Connection lost']);
    fake.state.notifications[0]!.emit('click');
    expect(shown).toBe(1);
    notifier.serverFailed('It stopped 5 times.');
    expect(fake.state.notifications.at(-1)?.options).toEqual({
      title: 'Local demo server stopped',
      body: 'It stopped 5 times.',
    });
    notifier.dispose();
    vi.useRealTimers();
  });
});
