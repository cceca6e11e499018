import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface NodeStatsSample {
  nodeId: string;
  host: string;
  pid: number;
  startedAt: string;
  eventLoopLagMs: number;
  heapUsedBytes: number;
  rssBytes: number;
}

/** The period of the histogram's timer: each sample it takes is this period plus the delay. */
const LOOP_RESOLUTION_MS = 20;

/**
 * The event loop delay in ms (2 decimals) from a percentile of `monitorEventLoopDelay`: its samples
 * are the times between its timer's ticks, so an idle loop reads ~20 ms; the timer's own period is
 * taken off, leaving what the loop added. Not finite (no sample yet): 0.
 */
export function loopDelayMs(percentileNs: number): number {
  if (!Number.isFinite(percentileNs)) return 0;
  return Math.max(0, Math.round((percentileNs / 1e6 - LOOP_RESOLUTION_MS) * 100) / 100);
}

/** Identity and health figures of this server process, for the `$cluster` section. */
export class NodeStats {
  readonly nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly startedAt = new Date().toISOString();
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({
    resolution: LOOP_RESOLUTION_MS,
  });

  constructor() {
    this.loop.enable();
  }

  /** Figures since the previous sample (event loop lag p99 is over that window). */
  sample(): NodeStatsSample {
    const lagNs = this.loop.percentile(99);
    this.loop.reset();
    const memory = process.memoryUsage();
    return {
      nodeId: this.nodeId,
      host: hostname(),
      pid: process.pid,
      startedAt: this.startedAt,
      eventLoopLagMs: loopDelayMs(lagNs),
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss,
    };
  }

  stop(): void {
    this.loop.disable();
  }
}
