import type { Logger } from '../log.js';
import type { RunningServer } from '../OpsdeckServer.js';

/**
 * Prints the `listening on` line, then waits for SIGINT or SIGTERM and closes the server
 * gracefully. Resolves with the exit code. A second signal while closing exits at once.
 */
export function runUntilSignal(server: RunningServer, log: Logger): Promise<number> {
  // Handlers first: a supervisor may signal the moment it reads the line.
  const done = new Promise<number>((resolve) => {
    let closing = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) {
        log.warn({ signal }, 'second signal while closing; exiting now');
        process.exit(1);
      }
      closing = true;
      log.info({ signal }, 'closing');
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          log.error({ err: error }, 'error while closing');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write(`listening on ${server.url}\n`);
  if (server.hasConsole) process.stdout.write(`web console: ${server.url}/\n`);
  log.info({ url: server.url }, 'listening');
  return done;
}
