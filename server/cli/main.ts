import { ConfigError } from '../config/ConfigError.js';
import { createLogger } from '../log.js';
import { PRODUCT_VERSION } from '../version.js';
import { helpFor, unknownCommandMessage } from './helpFor.js';
import { USAGE, UsageError } from './usage.js';

/** Runs the command line; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const log = createLogger();
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  // A reader that went away (`opsdeck check | head -2`) is not our failure: what it did not read
  // is dropped, and the command (or the server) goes on. Any other stream error stays fatal.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  try {
    const help = helpFor(argv);
    if (help !== undefined) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
    switch (command) {
      // Loaded on demand: `--help` and usage errors answer without loading database drivers.
      case 'demo':
        return await (await import('./demoCommand.js')).demoCommand(rest, log);
      case 'serve':
        return await (await import('./serveCommand.js')).serveCommand(rest, log);
      case 'check':
        return await (await import('./checkCommand.js')).checkCommand(rest, log);
      case '--version':
      case '-v':
        process.stdout.write(`${PRODUCT_VERSION}\n`);
        return 0;
      case undefined:
        process.stderr.write(`${USAGE}\n`);
        return 2;
      default:
        throw new UsageError(unknownCommandMessage(command));
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) process.stderr.write(`${line}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`usage: ${error.message} (see opsdeck --help)\n`);
      return 2;
    }
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      process.stderr.write(
        `error: the port is already in use (${e.message}); pick another with --port\n`,
      );
      return 1;
    }
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') {
      process.stderr.write(`error: cannot listen on that host (${e.message})\n`);
      return 1;
    }
    process.stderr.write(`error: ${e.message}\n`);
    log.debug({ err: error }, 'fatal error'); // the stack, for OPSDECK_LOG_LEVEL=debug
    return 1;
  }
}
