import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics of one server process (docs/http.md, `GET /metrics`). A registry of its own, so
 * several servers in one process (tests) never collide.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly connectedClients = new Gauge({
    name: 'opsdeck_connected_clients',
    help: 'Socket.IO clients connected to this process.',
    registers: [this.registry],
  });

  readonly sectionQueries = new Counter({
    name: 'opsdeck_section_queries_total',
    help: 'Section queries run against the database, by section.',
    labelNames: ['section'] as const,
    registers: [this.registry],
  });

  readonly probeQueries = new Counter({
    name: 'opsdeck_probe_queries_total',
    help: 'Probe queries run against the database, by section.',
    labelNames: ['section'] as const,
    registers: [this.registry],
  });

  readonly sectionErrors = new Counter({
    name: 'opsdeck_section_errors_total',
    help: 'Section reads that failed, by section.',
    labelNames: ['section'] as const,
    registers: [this.registry],
  });

  readonly missedChanges = new Counter({
    name: 'opsdeck_missed_changes_total',
    help: 'Changes found by a safety re-check that no change notification announced, by section.',
    labelNames: ['section'] as const,
    registers: [this.registry],
  });

  readonly sectionUpdates = new Counter({
    name: 'opsdeck_section_updates_total',
    help: 'New section versions published, by section.',
    labelNames: ['section'] as const,
    registers: [this.registry],
  });

  readonly sectionHealthy = new Gauge({
    name: 'opsdeck_section_healthy',
    help: '1 while the section query succeeds, 0 while it fails.',
    labelNames: ['section'] as const,
    registers: [this.registry],
  });

  readonly messagesSent = new Counter({
    name: 'opsdeck_messages_sent_total',
    help: 'update and section-status messages sent to clients.',
    registers: [this.registry],
  });

  readonly updateLag = new Histogram({
    name: 'opsdeck_update_lag_seconds',
    help: 'Time from a change being detected to its update being emitted.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly queryDuration = new Histogram({
    name: 'opsdeck_section_query_duration_seconds',
    help: 'Duration of section queries.',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly isLeader = new Gauge({
    name: 'opsdeck_is_leader',
    help: '1 when this process watches the database and runs section queries.',
    registers: [this.registry],
  });

  readonly slowClients = new Gauge({
    name: 'opsdeck_slow_clients',
    help: 'Clients whose outgoing queue is full; they get the latest snapshots when it drains.',
    registers: [this.registry],
  });

  readonly skippedUpdates = new Counter({
    name: 'opsdeck_skipped_updates_total',
    help: 'Updates not queued for a slow client (it receives a later snapshot instead).',
    registers: [this.registry],
  });

  readonly rejectedEvents = new Counter({
    name: 'opsdeck_rejected_events_total',
    help: 'Client events answered with an error, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these gauges `*_total`, which `promtool check metrics` rejects (that suffix
    // is for counters). The per-type gauges without the suffix stay.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ]) {
      this.registry.removeSingleMetric(name);
    }
  }

  /** Total database queries (sections and probes) run by this process. */
  async queryCount(): Promise<number> {
    const sum = async (c: Counter<'section'>) =>
      (await c.get()).values.reduce((acc, v) => acc + v.value, 0);
    return (await sum(this.sectionQueries)) + (await sum(this.probeQueries));
  }

  async messageCount(): Promise<number> {
    return (await this.messagesSent.get()).values.reduce((acc, v) => acc + v.value, 0);
  }
}
