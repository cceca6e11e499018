import { collectDefaultMetrics, Registry } from './promClient.js';

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * A server process's registry: its own metrics at once, and Node's default process metrics
 * (prom-client's collectDefaultMetrics: CPU, memory, event loop lag, GC, handles) on the next turn
 * of the event loop, so that loading them is not on the way to listening. A scrape, or anything
 * reading all metrics, waits for them: no answer ever lacks them.
 */
export class MetricsRegistry extends Registry {
  private readonly defaults: Promise<void>;

  constructor() {
    super();
    this.defaults = new Promise<void>((resolve) => {
      setImmediate(() => {
        this.registerDefaults();
        resolve();
      });
    });
  }

  override async metrics(): Promise<string> {
    await this.defaults;
    return super.metrics();
  }

  override async getMetricsAsJSON(): Promise<MetricsJson> {
    await this.defaults;
    return super.getMetricsAsJSON();
  }

  private registerDefaults(): void {
    collectDefaultMetrics({ register: this });
    // prom-client names these gauges `*_total`, which `promtool check metrics` rejects (that suffix
    // is for counters). The per-type gauges without the suffix stay.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ]) {
      this.removeSingleMetric(name);
    }
  }
}
