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

/** Identity and health figures of this server process, for the `$cluster` section. */
export class NodeStats {
  readonly nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly startedAt = new Date().toISOString();
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

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
      eventLoopLagMs: Number.isFinite(lagNs) ? Math.round(lagNs / 1e4) / 100 : 0,
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss,
    };
  }

  stop(): void {
    this.loop.disable();
  }
}
