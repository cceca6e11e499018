import { execFileSync } from 'node:child_process';

/**
 * Vitest global setup: build the project (tsc incremental, plus the web console), since
 * cross-process tests run the compiled CLI and the browser tests load the built console.
 * `npm test` has just built it, so it sets OPSDECK_SKIP_BUILD.
 */
export default function setup(): void {
  if (process.env.OPSDECK_SKIP_BUILD) return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build: the tests
  // drive the console that ships, built as `npm run build` builds it.
  execFileSync('npm', ['run', 'build', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
