import { defineConfig } from 'vitest/config';

/**
 * Three projects, by what a test file needs (pick one with `--project unit|dom|integration`):
 * - unit: node, in-process only. No build, no services, no `opsdeck` subprocess, nothing from dist/.
 * - dom: React components and the browser bridge under jsdom. No build, no services.
 * - integration: the compiled CLI as subprocesses (CLI, signals, clusters), PostgreSQL, MariaDB,
 *   Redis, nginx, Chromium, Electron, and anything that loads dist/ (the SQLite source's worker).
 *   Its global setup builds the project first unless OPSDECK_SKIP_BUILD is set.
 * `npm run test:unit` runs unit + dom; `npm test` builds, lints and runs all three.
 */

/** Test files outside test/ that need the build or the services (test/ is integration as a whole). */
const INTEGRATION_ELSEWHERE = [
  'main/main.test.ts', // starts the real embedded server (dist/)
  'main/embedded/ServerSupervisor.test.ts', // supervises a real `opsdeck demo`
  'renderer/live/PushClient.test.ts', // a real `opsdeck demo` behind a TCP proxy
  'renderer/live/testConnection.test.ts', // probes a real `opsdeck demo`
  'server/sources/*Source.test.ts', // PostgreSQL, MariaDB
  'server/sources/*.contract.test.ts', // PostgreSQL, MariaDB, and the SQLite worker from dist/
];

/** Files under test/ that need neither a build nor a service. */
const UNIT_IN_TEST = ['test/desktop/electronBuilderConfig.test.ts', 'test/docs.test.ts'];

const DOM = ['renderer/**/*.test.tsx', 'renderer/bridge/browserBridge.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: database-heavy files in parallel beyond that only add noise.
    maxWorkers: 2,
    reporters: process.env.CI ? ['verbose'] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['{common,server,main,renderer,eslint-rules}/**/*.test.ts', ...UNIT_IN_TEST],
          exclude: ['**/node_modules/**', ...INTEGRATION_ELSEWHERE, ...DOM],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: DOM,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/**/*.test.ts', ...INTEGRATION_ELSEWHERE],
          exclude: ['**/node_modules/**', ...UNIT_IN_TEST],
          // Cross-process tests spawn the compiled CLI: make sure dist/ is current.
          globalSetup: ['test/helpers/buildOnce.ts'],
          // Sized for a loaded two-core machine: a cluster's beforeAll starts several processes,
          // each waited for (ready lines, a leader), never slept.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
