import { fork, type ChildProcess } from 'node:child_process';
import type {
  ChangeWindow,
  ConnectArgs,
  ConnectResult,
  Counts,
  Envelope,
  FanoutReceipt,
  HttpOnceResult,
  MarkerReceipts,
  PollerArgs,
  Reply,
  Request,
  ResyncResult,
} from '../fleet/protocol.js';
import { zeroCounts } from '../fleet/protocol.js';
import { benchScript, track } from './proc.js';
import type { Scope } from './scope.js';

/** One client-fleet process. */
class FleetWorker {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const entry = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!entry) return;
      if (reply.ok) entry.resolve(reply.result);
      else entry.reject(new Error(reply.error));
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        for (const entry of this.pending.values()) entry.reject(new Error('fleet process exited'));
        this.pending.clear();
        resolve();
      }),
    );
  }

  call<T>(req: Request, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`fleet ${req.cmd}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      const envelope: Envelope = { id, req };
      this.child.send(envelope);
    });
  }
}

/**
 * Client processes that share the load of holding thousands of connections (one process cannot
 * hold 10,000 Socket.IO clients and still read promptly). Counts are split evenly.
 */
export class Fleet {
  private constructor(private readonly workers: FleetWorker[]) {}

  static start(scope: Scope, processes: number): Fleet {
    const workers: FleetWorker[] = [];
    for (let i = 0; i < processes; i++) {
      const child = fork(benchScript('fleet/worker.js'), [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
        execArgv: ['--max-old-space-size=4096'],
      });
      track(child);
      const worker = new FleetWorker(child);
      workers.push(worker);
      scope.defer(`stop fleet process ${i}`, async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await worker.exited;
          clearTimeout(timer);
        }
      });
    }
    return new Fleet(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  private split(total: number): number[] {
    const n = this.workers.length;
    return this.workers.map((_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
  }

  private all<T>(req: (i: number) => Request | undefined, timeoutMs: number): Promise<T[]> {
    return Promise.all(
      this.workers.flatMap((w, i) => {
        const r = req(i);
        return r ? [w.call<T>(r, timeoutMs)] : [];
      }),
    );
  }

  /** Connects `args.count` clients in total, spread over the processes. */
  async connect(args: ConnectArgs, timeoutMs = 120_000): Promise<ConnectResult> {
    const parts = this.split(args.count);
    const results = await this.all<ConnectResult>(
      (i) =>
        (parts[i] ?? 0) > 0
          ? { cmd: 'connect', args: { ...args, count: parts[i] ?? 0 } }
          : undefined,
      timeoutMs,
    );
    return {
      connected: results.reduce((s, r) => s + r.connected, 0),
      failed: results.reduce((s, r) => s + r.failed, 0),
      firstError: results.find((r) => r.firstError !== undefined)?.firstError,
      ms: Math.max(0, ...results.map((r) => r.ms)),
    };
  }

  /** All clients of one process (for a small group, such as the clients of one cluster node). */
  async connectOn(index: number, args: ConnectArgs, timeoutMs = 60_000): Promise<ConnectResult> {
    const worker = this.workers[index];
    if (!worker) throw new Error(`no fleet process ${index}`);
    return worker.call<ConnectResult>({ cmd: 'connect', args }, timeoutMs);
  }

  async closeAll(): Promise<void> {
    await this.all(() => ({ cmd: 'closeAll' }), 60_000);
  }

  async reset(): Promise<void> {
    await this.all(() => ({ cmd: 'reset' }), 30_000);
  }

  async counts(): Promise<Counts> {
    const all = await this.all<Counts>(() => ({ cmd: 'counts' }), 30_000);
    const total = zeroCounts();
    for (const c of all) {
      for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += c[key];
    }
    return total;
  }

  /** group -> marker -> receipt times, merged over the processes. */
  async markers(): Promise<MarkerReceipts> {
    const all = await this.all<MarkerReceipts>(() => ({ cmd: 'markers' }), 60_000);
    const merged: MarkerReceipts = new Map();
    for (const part of all) {
      for (const [group, byMarker] of part) {
        let target = merged.get(group);
        if (!target) merged.set(group, (target = new Map<number, number[]>()));
        for (const [seq, times] of byMarker) {
          const list = target.get(seq);
          if (list) list.push(...times);
          else target.set(seq, [...times]);
        }
      }
    }
    return merged;
  }

  /** How many clients of `group`, over every process, have seen marker `marker` so far. */
  async markerReceipts(group: string, marker: number): Promise<number> {
    const all = await this.all<number>(() => ({ cmd: 'markerReceipts', group, marker }), 30_000);
    return all.reduce((s, n) => s + n, 0);
  }

  /** marker -> when each client of `group` had the whole change (fleet/state.ts completions). */
  async completions(
    group: string,
    windows: ChangeWindow[],
    sections: string[],
  ): Promise<Map<number, number[]>> {
    const all = await this.all<Map<number, number[]>>(
      () => ({ cmd: 'completions', group, windows, sections }),
      60_000,
    );
    const merged = new Map<number, number[]>();
    for (const part of all) {
      for (const [marker, times] of part)
        merged.set(marker, [...(merged.get(marker) ?? []), ...times]);
    }
    return merged;
  }

  async fanout(): Promise<Map<number, FanoutReceipt>> {
    const all = await this.all<Map<number, FanoutReceipt>>(() => ({ cmd: 'fanout' }), 60_000);
    const merged = new Map<number, FanoutReceipt>();
    for (const part of all) {
      for (const [id, r] of part) {
        const entry = merged.get(id);
        if (entry) entry.recv.push(...r.recv);
        else merged.set(id, { sentAt: r.sentAt, recv: [...r.recv] });
      }
    }
    return merged;
  }

  async resync(expected: Record<string, number>, since: number): Promise<ResyncResult> {
    const all = await this.all<ResyncResult>(() => ({ cmd: 'resync', expected, since }), 60_000);
    return {
      clients: all.reduce((s, r) => s + r.clients, 0),
      resynced: all.reduce((s, r) => s + r.resynced, 0),
      times: all.flatMap((r) => r.times),
    };
  }

  async startPollers(args: PollerArgs): Promise<void> {
    const parts = this.split(args.count);
    await this.all(
      (i) =>
        (parts[i] ?? 0) > 0
          ? { cmd: 'startPollers', args: { ...args, count: parts[i] ?? 0 } }
          : undefined,
      30_000,
    );
  }

  async stopPollers(): Promise<void> {
    await this.all(() => ({ cmd: 'stopPollers' }), 30_000);
  }

  async httpOnce(url: string, count: number): Promise<HttpOnceResult> {
    const parts = this.split(count);
    const all = await this.all<HttpOnceResult>(
      (i) => ((parts[i] ?? 0) > 0 ? { cmd: 'httpOnce', url, count: parts[i] ?? 0 } : undefined),
      120_000,
    );
    return {
      ok: all.reduce((s, r) => s + r.ok, 0),
      failed: all.reduce((s, r) => s + r.failed, 0),
      times: all.flatMap((r) => r.times),
      firstError: all.find((r) => r.firstError !== undefined)?.firstError,
    };
  }
}
