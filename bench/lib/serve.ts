import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scope } from './scope.js';

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
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return metricValue(await res.text(), name, labels);
}

export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (match?.[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
    if (have === wanted) return Number(match[3]);
  }
  return 0;
}

/** Sum of a metric over all its label sets. */
export function metricSum(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] === name) total += Number(match[2]);
  }
  return total;
}

export async function metricsText(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}
