import { startTempPostgres } from '../../testkit/tempPostgres.js';
import { runFeedFailover } from '../lib/feedFailover.js';
import type { Scenario } from '../lib/scenario.js';

/** Issue 12: logical mode in a 3-node cluster, leader kill -9 (bench/lib/feedFailover.ts). */
export const sLogicalFailover: Scenario = {
  id: '12f',
  title: 'logical feed, leader kill -9 (3 nodes)',
  timeoutMs: (quick) => (quick ? 120_000 : 180_000),
  run: (ctx) =>
    runFeedFailover(ctx, {
      scenario: '12f logical failover',
      async start({ scope }) {
        const pg = await startTempPostgres();
        scope.defer('stop the temporary PostgreSQL', () => pg.stop());
        await pg.query('CREATE DATABASE app');
        await pg.query('CREATE TABLE events (id serial PRIMARY KEY)', [], 'app');
        return {
          database: { url: pg.url('app'), pool: 3 },
          watch: { mode: 'logical' },
          commit: async () =>
            Number(
              (await pg.query('INSERT INTO events DEFAULT VALUES RETURNING id', [], 'app'))[0]?.[
                'id'
              ],
            ),
        };
      },
    }),
};
