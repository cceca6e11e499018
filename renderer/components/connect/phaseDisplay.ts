import type { ConnectionPhase } from '../../live/state.js';

export type PhaseTone = 'ok' | 'pending' | 'danger' | 'idle';

/**
 * The console's one vocabulary for a connection phase: its words and a colour tone, for the
 * header's status pill and the connect dialog's dots and badges alike.
 */
export const PHASE_DISPLAY: Record<ConnectionPhase, { words: string; tone: PhaseTone }> = {
  idle: { words: 'Not connected', tone: 'idle' },
  connecting: { words: 'Connecting…', tone: 'pending' },
  connected: { words: 'Connected', tone: 'ok' },
  reconnecting: { words: 'Reconnecting…', tone: 'pending' },
  unreachable: { words: 'Unreachable', tone: 'danger' },
  unauthorized: { words: 'Token refused', tone: 'danger' },
};
