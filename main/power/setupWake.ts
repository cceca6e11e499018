import { net, powerMonitor } from 'electron';
import type { WakeReason, WakeSignal } from '../../common/ipc.js';
import { networkSignature } from './networkSignature.js';

/** Signals this close to the last one are one wake-up (resume, unlock and a new address at once). */
export const WAKE_COALESCE_MS = 1000;
/** How often the network is looked at: Electron's main process has no network-change event. */
export const NETWORK_POLL_MS = 2000;

export interface WakeDeps {
  /** main -> renderer `connection:wake`. */
  send: (signal: WakeSignal) => void;
  pollMs?: number;
  /** The network as a comparable string (default: networkSignature with `net.isOnline()`). */
  network?: () => string;
  now?: () => number;
}

/**
 * Tells the console to reconnect at once when the machine resumes from sleep, the screen is
 * unlocked, or the network changes: exactly when a socket that still looks open may be dead and
 * the console would otherwise show old data as live until a ping times out. The console keeps
 * every card stale until its resync lands (renderer/live/PushClient.wake).
 */
export function setupWake(deps: WakeDeps): { dispose(): void } {
  const now = deps.now ?? Date.now;
  const network = deps.network ?? (() => networkSignature(net.isOnline()));
  let lastSentAt = -Infinity;
  let lastNetwork = network();

  const wake = (reason: WakeReason) => {
    const at = now();
    if (at - lastSentAt < WAKE_COALESCE_MS) return;
    lastSentAt = at;
    deps.send({ reason });
  };
  const onResume = () => wake('resume');
  const onUnlock = () => wake('unlock-screen');
  powerMonitor.on('resume', onResume);
  powerMonitor.on('unlock-screen', onUnlock);
  const poll = setInterval(() => {
    const current = network();
    if (current === lastNetwork) return;
    lastNetwork = current;
    wake('network');
  }, deps.pollMs ?? NETWORK_POLL_MS);
  poll.unref();

  return {
    dispose() {
      clearInterval(poll);
      powerMonitor.off('resume', onResume);
      powerMonitor.off('unlock-screen', onUnlock);
    },
  };
}
