/** Messages between the benchmark (lib/fleet.ts) and its client-fleet processes (worker.ts). */

export type ClientKind = 'opsdeck' | 'sio' | 'ws';

export interface ConnectArgs {
  kind: ClientKind;
  url: string;
  count: number;
  /** Label for the results (for example the cluster node a client is on). */
  group?: string;
  /** opsdeck: sections to subscribe to on every (re)connect, with `have` versions. */
  sections?: string[];
  /** opsdeck: keep every update's section and arrival time (for `completions`). */
  recordArrivals?: boolean;
  /** Stock Socket.IO reconnection (1 s .. 5 s backoff, randomised). */
  reconnect?: boolean;
  /** Connections in progress at once in this process. */
  concurrency?: number;
  timeoutMs?: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError: string | undefined;
  ms: number;
}

export interface PollerArgs {
  url: string;
  count: number;
  periodMs: number;
  group?: string;
}

export interface FanoutReceipt {
  sentAt: number;
  recv: number[];
}

export interface Counts {
  clients: number;
  connected: number;
  updates: number;
  reconnects: number;
  connectErrors: number;
  polls: number;
  pollErrors: number;
  /** CPU time this process has used (user + system, ms). */
  cpuMs: number;
}

/** Counts with every field at zero: a fresh process's, or the start of a sum over processes. */
export function zeroCounts(): Counts {
  return {
    clients: 0,
    connected: 0,
    updates: 0,
    reconnects: 0,
    connectErrors: 0,
    polls: 0,
    pollErrors: 0,
    cpuMs: 0,
  };
}

export interface ResyncResult {
  clients: number;
  resynced: number;
  /** When each resynced client held every expected version (ms, clock.now). */
  times: number[];
}

export interface HttpOnceResult {
  ok: number;
  failed: number;
  times: number[];
  firstError: string | undefined;
}

export type Request =
  | { cmd: 'connect'; args: ConnectArgs }
  | { cmd: 'closeAll' }
  | { cmd: 'reset' }
  | { cmd: 'markers' }
  | { cmd: 'markerReceipts'; group: string; marker: number }
  | { cmd: 'completions'; group: string; windows: ChangeWindow[]; sections: string[] }
  | { cmd: 'fanout' }
  | { cmd: 'counts' }
  | { cmd: 'resync'; expected: Record<string, number>; since: number }
  | { cmd: 'startPollers'; args: PollerArgs }
  | { cmd: 'stopPollers' }
  | { cmd: 'httpOnce'; url: string; count: number }
  | { cmd: 'memory' };

/** A change and the time it had to itself: from its commit to the next one's (ms, clock.now). */
export interface ChangeWindow {
  marker: number;
  from: number;
  to: number;
}

export interface Envelope {
  id: number;
  req: Request;
}

export type Reply =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** group -> marker number -> receipt times (one per client that saw it). */
export type MarkerReceipts = Map<string, Map<number, number[]>>;
