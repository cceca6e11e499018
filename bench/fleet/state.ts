/**
 * What one client-fleet process holds and has recorded: its clients, the receipt times of markers
 * and fan-out messages, and its counts. Receipt times use clock.now(), comparable across the
 * processes of one machine.
 */
import type {
  ChangeWindow,
  Counts,
  FanoutReceipt,
  MarkerReceipts,
  ResyncResult,
} from './protocol.js';
import { zeroCounts } from './protocol.js';

export interface Client {
  group: string;
  close: () => void;
  connected: boolean;
  /** Highest marker seen (markers only grow). */
  lastMarker: number;
  /** Latest version of each section and when it arrived. */
  latest: Map<string, { version: number; at: number }>;
  /** Every update's section and arrival time, when asked for (ConnectArgs.recordArrivals). */
  arrivals?: { sections: string[]; times: number[] };
}

export const clients: Client[] = [];
export const markers: MarkerReceipts = new Map();
export const fanout = new Map<number, FanoutReceipt>();
export const counts: Counts = zeroCounts();

export function recordMarker(group: string, seq: number, at: number): void {
  let byGroup = markers.get(group);
  if (!byGroup) markers.set(group, (byGroup = new Map<number, number[]>()));
  let times = byGroup.get(seq);
  if (!times) byGroup.set(seq, (times = []));
  times.push(at);
}

/** How many clients of `group` have seen marker `seq` (cheap to ask while a fan-out runs). */
export function markerReceipts(group: string, seq: number): number {
  return markers.get(group)?.get(seq)?.length ?? 0;
}

export function recordFanout(id: number, sentAt: number, at: number): void {
  let entry = fanout.get(id);
  if (!entry) fanout.set(id, (entry = { sentAt, recv: [] }));
  entry.recv.push(at);
}

/** A new client of `group`, counted and kept for closeAll; `close` closes its socket. */
export function addClient(group: string, close: () => void): Client {
  const client: Client = { group, connected: false, lastMarker: 0, latest: new Map(), close };
  clients.push(client);
  counts.clients += 1;
  return client;
}

export function closeAll(): number {
  const n = clients.length;
  for (const c of clients) c.close();
  clients.length = 0;
  counts.clients = 0;
  counts.connected = 0;
  return n;
}

/** Forgets what was recorded (receipts and event counts); the clients stay. */
export function resetRecords(): void {
  for (const c of clients) {
    if (c.arrivals) c.arrivals = { sections: [], times: [] };
  }
  markers.clear();
  fanout.clear();
  counts.updates = 0;
  counts.polls = 0;
  counts.pollErrors = 0;
  counts.reconnects = 0;
  counts.connectErrors = 0;
}

export function countsNow(): Counts {
  const cpu = process.cpuUsage();
  return { ...counts, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Which clients hold every expected version received since `since`, and when they had them. */
export function resync(expected: Record<string, number>, since: number): ResyncResult {
  const times: number[] = [];
  const ids = Object.keys(expected);
  for (const client of clients) {
    let at = 0;
    let ok = true;
    for (const id of ids) {
      const latest = client.latest.get(id);
      if (!latest || latest.version !== expected[id] || latest.at < since) {
        ok = false;
        break;
      }
      at = Math.max(at, latest.at);
    }
    if (ok) times.push(at);
  }
  return { clients: clients.length, resynced: times.length, times };
}

/**
 * For each change window, when each client of `group` had an update of every one of `sections`
 * that arrived inside the window (the change complete on its screen); clients that lack one are
 * left out. marker -> completion times.
 */
export function completions(
  group: string,
  windows: readonly ChangeWindow[],
  sections: readonly string[],
): Map<number, number[]> {
  const result = new Map<number, number[]>(windows.map((w) => [w.marker, []]));
  for (const client of clients) {
    const log = client.arrivals;
    if (client.group !== group || !log) continue;
    for (const w of windows) {
      const first = new Map<string, number>();
      for (let i = 0; i < log.times.length; i++) {
        const at = log.times[i] ?? NaN;
        const section = log.sections[i] ?? '';
        if (at >= w.from && at < w.to && !first.has(section)) first.set(section, at);
      }
      if (sections.every((s) => first.has(s))) {
        result.get(w.marker)?.push(Math.max(...sections.map((s) => first.get(s) ?? NaN)));
      }
    }
  }
  return result;
}
