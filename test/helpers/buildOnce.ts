import { execFileSync } from 'node:child_process';

/**
 * Vitest global setup: build the project (tsc incremental, plus the web console), since
 * cross-process tests run the compiled CLI and the browser tests load the built console.
 * `npm test` has just built it, so it sets OPSDECK_SKIP_BUILD.
 */
export default function setup(): void {
  if (process.env.OPSDECK_SKIP_BUILD) return;
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
}
