/** Wake-up in the main process: resume, unlock and network changes reach the console at once. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WakeSignal } from '../../common/ipc.js';
import { fake, powerMonitor } from '../../test/helpers/fakeElectron.js';
import { networkSignature } from './networkSignature.js';
import { NETWORK_POLL_MS, WAKE_COALESCE_MS, setupWake } from './setupWake.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

let now: number;
let net: string;
let sent: WakeSignal[];

beforeEach(() => {
  fake.reset();
  vi.useFakeTimers();
  now = 1_000_000;
  net = 'online|wlan0=192.168.1.20';
  sent = [];
});
afterEach(() => vi.useRealTimers());

function start() {
  return setupWake({ send: (s) => sent.push(s), network: () => net, now: () => now });
}

describe('setupWake', () => {
  it('sends connection:wake on resume and on unlock-screen', () => {
    const wake = start();
    powerMonitor.emit('resume');
    now += WAKE_COALESCE_MS;
    powerMonitor.emit('unlock-screen');
    expect(sent).toEqual([{ reason: 'resume' }, { reason: 'unlock-screen' }]);
    wake.dispose();
  });

  it('coalesces signals that come together into one reconnect', () => {
    const wake = start();
    powerMonitor.emit('resume');
    now += 200;
    powerMonitor.emit('unlock-screen');
    net = 'online|wlan0=10.0.0.7';
    now += 200;
    vi.advanceTimersByTime(NETWORK_POLL_MS);
    expect(sent).toEqual([{ reason: 'resume' }]);
    wake.dispose();
  });

  it('sends one wake per network change, none while the network stays the same', () => {
    const wake = start();
    vi.advanceTimersByTime(NETWORK_POLL_MS * 3);
    expect(sent).toEqual([]);
    net = 'offline|';
    now += NETWORK_POLL_MS * 4;
    vi.advanceTimersByTime(NETWORK_POLL_MS);
    expect(sent).toEqual([{ reason: 'network' }]);
    net = 'online|wlan0=10.0.0.7';
    now += NETWORK_POLL_MS;
    vi.advanceTimersByTime(NETWORK_POLL_MS);
    now += NETWORK_POLL_MS * 3;
    vi.advanceTimersByTime(NETWORK_POLL_MS * 3);
    expect(sent).toEqual([{ reason: 'network' }, { reason: 'network' }]);
    wake.dispose();
  });

  it('stops listening when disposed', () => {
    start().dispose();
    powerMonitor.emit('resume');
    net = 'online|eth0=10.1.1.1';
    vi.advanceTimersByTime(NETWORK_POLL_MS * 2);
    expect(sent).toEqual([]);
    expect(powerMonitor.listenerCount('resume')).toBe(0);
  });

  it('reads the real network by default (net.isOnline and the interfaces)', () => {
    expect(networkSignature(true)).toMatch(/^online\|/);
    expect(networkSignature(false)).toMatch(/^offline\|/);
    expect(networkSignature(true)).not.toContain('127.0.0.1');
    fake.state.online = false;
    const wake = setupWake({ send: (s) => sent.push(s), now: () => now });
    fake.state.online = true;
    vi.advanceTimersByTime(NETWORK_POLL_MS);
    expect(sent).toEqual([{ reason: 'network' }]);
    wake.dispose();
  });
});
