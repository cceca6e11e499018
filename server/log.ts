import { createRequire } from 'node:module';
import { pino } from 'pino';
import type * as PinoPrettyModule from 'pino-pretty';

export type Logger = pino.Logger;

/**
 * Structured logs on standard error, so standard output stays for the lines people and scripts
 * read (`listening on ...`, `check` results). JSON lines, except on a terminal, where people read
 * them (OPSDECK_LOG_FORMAT=json forces JSON). Level from OPSDECK_LOG_LEVEL (default info).
 */
export function createLogger(level = process.env.OPSDECK_LOG_LEVEL ?? 'info'): Logger {
  const options = { level, base: { pid: process.pid } };
  if (process.stderr.isTTY && process.env.OPSDECK_LOG_FORMAT !== 'json') {
    return pino(
      options,
      loadPinoPretty().PinoPretty({
        destination: 2,
        sync: true,
        ignore: 'pid,hostname',
        translateTime: 'SYS:HH:MM:ss',
      }),
    );
  }
  return pino(options, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * pino-pretty (and what it pulls in: colorette, dateformat, its own sonic-boom setup) costs a
 * noticeable part of start-up; only a terminal needs it, so it is loaded there, synchronously
 * (a CommonJS package), and never when the logs go to a pipe or a file as JSON.
 */
function loadPinoPretty(): typeof PinoPrettyModule {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPrettyModule;
}
