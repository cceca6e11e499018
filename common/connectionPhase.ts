/**
 * The console's connection phases: one vocabulary for the renderer's state
 * (renderer/live/state.ts), the report it sends the desktop app's main process (common/ipc.ts)
 * and the main process's validation of that report (main/ipc/argSchemas.ts).
 */
export const CONNECTION_PHASES = [
  /** Not connected and not trying (no target yet, or disconnected on purpose). */
  'idle',
  /** First attempt for this target. */
  'connecting',
  'connected',
  /** Lost after having been connected; retrying with backoff. */
  'reconnecting',
  /** Never reached for this target; retrying with backoff. */
  'unreachable',
  /** The server refused the token: not retrying until the user fixes it. */
  'unauthorized',
] as const;

export type ConnectionPhase = (typeof CONNECTION_PHASES)[number];
