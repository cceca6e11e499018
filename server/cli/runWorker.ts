import { setupWorker } from '@socket.io/sticky';
import type { Logger } from '../log.js';
import type { RunningServer } from '../OpsdeckServer.js';

/**
 * A `--workers` worker: connections come from the primary (sticky sessions), so it does not
 * listen; it tells the primary it is ready and closes gracefully on SIGTERM.
 */
export function runWorker(server: RunningServer, log: Logger): Promise<number> {
  setupWorker(server.io);
  const done = new Promise<number>((resolve) => {
    const onSignal = () => {
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          log.error({ err: error }, 'error while closing');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  process.send?.('opsdeck:ready');
  return done;
}
