import type { ConnectionPhase } from '../../live/state.js';

export type PhaseTone = 'ok' | 'pending' | 'danger' | 'idle';

/** How the connect dialog shows a connection phase: words and a colour tone for dots and badges. */
export const PHASE_DISPLAY: Record<ConnectionPhase, { words: string; tone: PhaseTone }> = {
  idle: { words: 'Active', tone: 'idle' },
  connecting: { words: 'Connecting…', tone: 'pending' },
  connected: { words: 'Connected', tone: 'ok' },
  reconnecting: { words: 'Reconnecting…', tone: 'pending' },
  unreachable: { words: 'Unreachable', tone: 'danger' },
  unauthorized: { words: 'Token refused', tone: 'danger' },
};
