import { vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  SectionStatus,
  SectionUpdate,
  ServerToClientEvents,
} from '../../common/protocol.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A stock socket.io-client on the websocket transport, connected (or rejected) before resolving. */
export function connect(
  url: string,
  options: {
    token?: string;
    extraHeaders?: Record<string, string>;
    transports?: string[];
    /** How long the connection may take (default 5 s; more for a server under a storm). */
    timeoutMs?: number;
  } = {},
): Promise<TestSocket> {
  const socket: TestSocket = io(url, {
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: options.timeoutMs ?? 5000,
    ...(options.token !== undefined ? { auth: { token: options.token } } : {}),
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Emits an event with an acknowledgement and resolves with the ack (rejects after 5 s). */
export function request<T>(socket: TestSocket, event: string, ...args: unknown[]): Promise<T> {
  return requestWithin<T>(5000, socket, event, ...args);
}

/** `request` with its own patience, for a server that is busy on purpose (a storm, a soak). */
export function requestWithin<T>(
  timeoutMs: number,
  socket: TestSocket,
  event: string,
  ...args: unknown[]
): Promise<T> {
  // The raw emit lets tests send malformed payloads the typed events would not allow.
  const raw = socket as unknown as {
    timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<T> };
  };
  return raw.timeout(timeoutMs).emitWithAck(event, ...args);
}

/** Collects every update and status a socket receives. */
export function recorder(socket: TestSocket) {
  const updates: SectionUpdate[] = [];
  const statuses: SectionStatus[] = [];
  socket.on('update', (u) => updates.push(u));
  socket.on('section-status', (s) => statuses.push(s));
  return {
    updates,
    statuses,
    latest: (section: string) => updates.filter((u) => u.section === section).at(-1),
  };
}

/**
 * Resolves with the first value of `predicate` that is neither undefined nor false (sync or async),
 * checked every `intervalMs` by `vi.waitFor`; rejects naming `what` after `timeoutMs`. Works with
 * fake timers too (vi.waitFor advances them).
 */
export function waitFor<T>(
  what: string,
  predicate: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await predicate();
      if (value === undefined || value === false)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}
