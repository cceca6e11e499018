import { execFileSync } from 'node:child_process';

/**
 * Vitest global setup: compile the project (incremental, about a second when up to date), since
 * cross-process tests run the compiled CLI. `npm test` has just built it, so it sets
 * OPSDECK_SKIP_BUILD.
 */
export default function setup(): void {
  if (process.env.OPSDECK_SKIP_BUILD) return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b'], { stdio: 'inherit' });
}
