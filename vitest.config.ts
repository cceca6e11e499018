import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{common,server,main,renderer,test}/**/*.test.{ts,tsx}'],
    // Cross-process tests spawn the compiled CLI: make sure dist/ is current.
    globalSetup: ['test/helpers/buildOnce.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: database-heavy files in parallel beyond that only add noise.
    maxWorkers: 2,
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});
