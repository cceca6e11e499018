import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on standard error, so standard output stays for the lines people and
 * scripts read (`listening on ...`, `check` results). Level from OPSDECK_LOG_LEVEL (default info).
 */
export function createLogger(level = process.env.OPSDECK_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
