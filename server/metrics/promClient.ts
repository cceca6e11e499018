import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

/**
 * The parts of prom-client a Metrics object is built from, each from its own file. prom-client's
 * index loads everything at once: Summary (with tdigest), Pushgateway, the cluster aggregator and
 * the default process metrics, which pull in @opentelemetry/api; about a seventh of a server's
 * start-up, most of it never used. The default metrics are loaded on their own, once the server
 * is up (MetricsRegistry). Types are prom-client's own.
 */
const load = createRequire(import.meta.url);

export const Registry = load('prom-client/lib/registry') as typeof PromClient.Registry;
export type Registry = PromClient.Registry;
export const Counter = load('prom-client/lib/counter') as typeof PromClient.Counter;
export type Counter<T extends string = string> = PromClient.Counter<T>;
export const Gauge = load('prom-client/lib/gauge') as typeof PromClient.Gauge;
export type Gauge<T extends string = string> = PromClient.Gauge<T>;
export const Histogram = load('prom-client/lib/histogram') as typeof PromClient.Histogram;
export type Histogram<T extends string = string> = PromClient.Histogram<T>;

/** prom-client's collectDefaultMetrics, loaded when first called. */
export function collectDefaultMetrics(
  config: PromClient.DefaultMetricsCollectorConfiguration<PromClient.RegistryContentType>,
): void {
  (load('prom-client/lib/defaultMetrics') as typeof PromClient.collectDefaultMetrics)(config);
}
