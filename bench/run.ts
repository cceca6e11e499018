/**
 * `npm run bench [-- --quick] [-- --only 1,3]`: every scenario of issue 6 against real processes
 * on loopback, one after the other (each with a timeout and its own cleanup), then one table.
 * `npm run bench -- --soak 30m` runs only the cluster soak (issue 15) for that long (`90s`, `2m`,
 * `1h`).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.js';
import { killAllChildren } from './lib/proc.js';
import type { Scenario } from './lib/scenario.js';
import { errorText, Scope, withTimeout } from './lib/scope.js';
import { renderTable, type ResultRow } from './lib/table.js';
import { s1DbLoad } from './scenarios/s1DbLoad.js';
import { s2Lag } from './scenarios/s2Lag.js';
import { s3Fanout } from './scenarios/s3Fanout.js';
import { s5Soak } from './scenarios/s5Soak.js';
import { s6Reconnect } from './scenarios/s6Reconnect.js';
import { s7Cluster } from './scenarios/s7Cluster.js';
import { s8Console } from './scenarios/s8Console.js';
import { s9Startup } from './scenarios/s9Startup.js';
import { s10PlainFanout } from './scenarios/s10PlainFanout.js';
import { sBinlog } from './scenarios/sBinlog.js';
import { sLogical } from './scenarios/sLogical.js';
import { sBinlogFailover } from './scenarios/sBinlogFailover.js';
import { sLogicalFailover } from './scenarios/sLogicalFailover.js';
import { clusterSoak } from './scenarios/sClusterSoak.js';
import { sStalledClients } from './scenarios/sStalledClients.js';
import { parseDuration } from '../server/alerts/parseDuration.js';

const SCENARIOS: Scenario[] = [
  s1DbLoad,
  s2Lag,
  s3Fanout,
  s5Soak,
  s6Reconnect,
  s7Cluster,
  s8Console,
  s9Startup,
  s10PlainFanout,
  sBinlog,
  sLogical,
  sLogicalFailover,
  sBinlogFailover,
  sStalledClients,
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    soak: { type: 'string' },
  },
});
const quick = values.quick;
const only = values.only?.split(',').map((s) => s.trim());
const soakMs = values.soak === undefined ? undefined : soakDuration(values.soak);
const selected =
  soakMs !== undefined
    ? [clusterSoak(soakMs)]
    : SCENARIOS.filter((s) => !only || only.some((o) => s.id.split('+').includes(o)));

/** `--soak 30m`: a duration as alert rules write it (`90s`, `2m`, `1h`). */
function soakDuration(text: string): number {
  const parsed = parseDuration(text);
  if (parsed === undefined) {
    process.stderr.write(`--soak: expected a duration such as 30m or 90s, got "${text}"\n`);
    process.exit(2);
  }
  return parsed;
}

const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const open = new Set<Scope>();

async function shutdown(signal: string): Promise<void> {
  log(`${signal}: cleaning up`);
  await Promise.all([...open].map((scope) => scope.close(log, 5000).catch(() => undefined)));
  killAllChildren();
  process.exit(130);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.on('exit', killAllChildren);

/** Runs one scenario in its own scope, bounded in time; a failure becomes a row saying so. */
async function runScenario(scenario: Scenario): Promise<ResultRow[]> {
  const scope = new Scope();
  open.add(scope);
  const t0 = Date.now();
  log(`scenario ${scenario.id}: ${scenario.title}`);
  try {
    return await withTimeout(
      scenario.run({ quick, scope, log: (line) => log(`  ${scenario.id}: ${line}`) }),
      scenario.timeoutMs(quick),
      `scenario ${scenario.id}`,
    );
  } catch (error) {
    log(`scenario ${scenario.id} failed: ${errorText(error)}`);
    return [
      {
        scenario: `${scenario.id} ${scenario.title}`,
        figureName: 'did not complete',
        figure: `error: ${errorText(error).split('\n')[0]?.slice(0, 120) ?? ''}`,
        baseline: '—',
        ratio: '—',
        target: '—',
        met: 'no',
      },
    ];
  } finally {
    await scope.close(log);
    open.delete(scope);
    log(`scenario ${scenario.id} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
}

const machine = describeMachine();
log(`machine: ${machine}`);
const started = Date.now();
const results = new Map<Scenario, ResultRow[]>();
const background = quick ? selected.filter((s) => s.backgroundWhenQuick) : [];
const inBackground = background.map(async (s) => results.set(s, await runScenario(s)));
for (const scenario of selected) {
  if (background.includes(scenario)) continue;
  results.set(scenario, await runScenario(scenario));
}
await Promise.all(inBackground);

const rows = selected.flatMap((s) => results.get(s) ?? []);
const mode = quick
  ? 'QUICK MODE (smaller sizes, fewer samples, scenario 1 alongside the others: indicative only)'
  : 'full run';
process.stdout.write(
  `\nOpsdeck benchmarks, ${mode}, ${((Date.now() - started) / 1000).toFixed(0)} s\n` +
    `machine at the start: ${machine}; load average at the end ` +
    `${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n` +
    `the load generators (client processes, Chromium, PostgreSQL, Redis) share these cores ` +
    `with the servers measured\n\n` +
    `${renderTable(rows)}\n`,
);
killAllChildren();
process.exit(0);
