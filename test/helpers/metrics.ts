import { spawnSync } from 'node:child_process';

/** The one metric parser, shared with the benchmarks. */
export { metricSum, metricValue, scrape } from '../../testkit/metrics.js';

/** Runs `promtool check metrics` on the text: undefined when valid, else its complaint. */
export function promtoolProblems(text: string): string | undefined {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool not available: ${result.error.message}`);
  return result.status === 0 ? undefined : `${result.stdout}${result.stderr}`;
}
