import { MetricsRegistry } from './MetricsRegistry.js';
import { Counter, Gauge, Histogram } from './promClient.js';

/**
 * The Prometheus metrics of one server process (docs/http.md, `GET /metrics`). A registry of its own, so
 * several servers in one process (tests) never collide.
 */
export class Metrics {
  /** Node's default process metrics join it right after start-up (MetricsRegistry). */
  readonly registry = new MetricsRegistry();

  readonly connectedClients = this.gauge(
    'opsdeck_connected_clients',
    'Socket.IO clients connected to this process.',
  );

  readonly sectionQueries = this.sectionCounter(
    'opsdeck_section_queries_total',
    'Section queries run against the database, by section.',
  );

  readonly probeQueries = this.sectionCounter(
    'opsdeck_probe_queries_total',
    'Probe queries run against the database, by section.',
  );

  readonly sectionErrors = this.sectionCounter(
    'opsdeck_section_errors_total',
    'Section reads that failed, by section.',
  );

  readonly missedChanges = this.sectionCounter(
    'opsdeck_missed_changes_total',
    'Changes found by a safety re-check that no change notification announced, by section.',
  );

  readonly sectionUpdates = this.sectionCounter(
    'opsdeck_section_updates_total',
    'New section versions published, by section.',
  );

  readonly sectionHealthy = new Gauge({
    name: 'opsdeck_section_healthy',
    help: '1 while the section query succeeds, 0 while it fails.',
    labelNames: ['section'] as const,
    registers: [this.registry],
  });

  readonly messagesSent = this.counter(
    'opsdeck_messages_sent_total',
    'update and section-status messages sent to clients.',
  );

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

  readonly isLeader = this.gauge(
    'opsdeck_is_leader',
    '1 when this process watches the database and runs section queries.',
  );

  readonly slowClients = this.gauge(
    'opsdeck_slow_clients',
    'Clients whose outgoing queue is full; they get the latest snapshots when it drains.',
  );

  readonly skippedUpdates = this.counter(
    'opsdeck_skipped_updates_total',
    'Updates not queued for a slow client (it receives a later snapshot instead).',
  );

  readonly replicationLagBytes = this.gauge(
    'opsdeck_replication_lag_bytes',
    'logical mode: WAL the replication slot retains (bytes), read at each safety re-check.',
  );

  /** Set while the change feed is past a limit (logical mode: watch.maxLagBytes); /readyz says it. */
  degradedReason: string | undefined;

  readonly rejectedEvents = new Counter({
    name: 'opsdeck_rejected_events_total',
    help: 'Client events answered with an error, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly oversizedFrames = new Counter({
    name: 'opsdeck_oversized_frames_total',
    help: 'Client frames over the 64 KB limit; each closed its connection. By transport.',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  readonly alertsFiring = new Gauge({
    name: 'opsdeck_alerts_firing',
    help: 'Alerts firing now, as this process knows them (decided here or relayed by the leader), by severity.',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });

  readonly alertsFired = new Counter({
    name: 'opsdeck_alerts_fired_total',
    help: 'Alerts that started firing, decided by this process (the leader), by severity.',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });

  private sectionCounter(name: string, help: string): Counter<'section'> {
    return new Counter({
      name,
      help,
      labelNames: ['section'] as const,
      registers: [this.registry],
    });
  }

  private counter(name: string, help: string): Counter {
    return new Counter({ name, help, registers: [this.registry] });
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
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
