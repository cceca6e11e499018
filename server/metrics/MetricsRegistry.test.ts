import { describe, expect, it } from 'vitest';
import { Metrics } from './Metrics.js';
import { MetricsRegistry } from './MetricsRegistry.js';

describe('MetricsRegistry', () => {
  it('registers the default process metrics on the next turn, not in the constructor', async () => {
    const registry = new MetricsRegistry();
    expect(registry.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(registry.getSingleMetric('process_cpu_user_seconds_total')).toBeDefined();
  });

  it('a scrape at once still has every default metric, without the `*_total` gauges', async () => {
    const text = await new Metrics().registry.metrics();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
      'nodejs_active_handles',
      'opsdeck_connected_clients',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).not.toContain('nodejs_active_handles_total');
    expect(text).not.toContain('nodejs_active_requests_total');
    expect(text).not.toContain('nodejs_active_resources_total');
  });

  it('so does the JSON form', async () => {
    const names = (await new MetricsRegistry().getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain('process_start_time_seconds');
    expect(names).not.toContain('nodejs_active_handles_total');
  });
});
