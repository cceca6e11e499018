import { describe, expect, it } from 'vitest';
import { loopDelayMs, NodeStats } from './NodeStats.js';

describe('NodeStats', () => {
  it("takes the histogram timer's own 20 ms period off the loop delay", () => {
    expect(loopDelayMs(20_168_703)).toBe(0.17); // an idle loop (Node 20 measured ~20.17 ms)
    expect(loopDelayMs(971_600_000)).toBe(951.6); // a 951.6 ms stall
    expect(loopDelayMs(19_120_128)).toBe(0); // a tick a little early is no negative delay
    expect(loopDelayMs(Number.NaN)).toBe(0);
  });

  it('samples its identity and figures', () => {
    const stats = new NodeStats();
    try {
      const sample = stats.sample();
      expect(sample.pid).toBe(process.pid);
      expect(sample.nodeId).toContain(String(process.pid));
      expect(sample.eventLoopLagMs).toBeGreaterThanOrEqual(0);
      expect(sample.heapUsedBytes).toBeGreaterThan(0);
    } finally {
      stats.stop();
    }
  });
});
