import { startTempMariadb } from '../../testkit/tempMariadb.js';
import { runFeedFailover } from '../lib/feedFailover.js';
import type { Scenario } from '../lib/scenario.js';

/** Issue 12: binlog mode in a 3-node cluster, leader kill -9 (bench/lib/feedFailover.ts). */
export const sBinlogFailover: Scenario = {
  id: '12bf',
  title: 'binlog feed, leader kill -9 (3 nodes)',
  timeoutMs: (quick) => (quick ? 120_000 : 180_000),
  run: (ctx) =>
    runFeedFailover(ctx, {
      scenario: '12bf binlog failover',
      async start({ scope }) {
        const db = await startTempMariadb();
        scope.defer('stop the temporary MariaDB', () => db.stop());
        await db.sql(`
          CREATE DATABASE app;
          CREATE TABLE app.events (id INT AUTO_INCREMENT PRIMARY KEY);
          CREATE USER 'opsdeck'@'%';
          GRANT SELECT ON app.* TO 'opsdeck'@'%';
          GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'opsdeck'@'%';`);
        return {
          database: { url: db.url('app', 'opsdeck'), pool: 3 },
          watch: { mode: 'binlog' },
          commit: async () =>
            Number(
              (
                await db.sql('INSERT INTO app.events () VALUES (); SELECT LAST_INSERT_ID() AS id')
              )[0]?.['id'],
            ),
        };
      },
    }),
};
