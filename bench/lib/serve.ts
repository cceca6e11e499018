import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricValue, scrape } from '../../testkit/metrics.js';
import type { Scope } from './scope.js';

/** The one metric parser, shared with the tests. */
export { metricSum, metricValue, scrape as metricsText } from '../../testkit/metrics.js';

/** An `opsdeck serve` configuration file (JSON is YAML) in a temporary folder of the scope. */
export function writeConfig(scope: Scope, config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-'));
  scope.defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'opsdeck.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** A temporary folder removed with the scope. */
export function tempDir(scope: Scope): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-'));
  scope.defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** GET /metrics and the value of one sample (labels matched exactly; 0 when absent). */
export async function metric(
  baseUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  return metricValue(await scrape(baseUrl), name, labels);
}
