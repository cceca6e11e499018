/**
 * The limits and defaults of the command-line flags, in one place: the parsers enforce these
 * numbers and `opsdeck --help` prints them, so the two cannot drift apart.
 */

/** A numeric flag's allowed range (inclusive). */
export interface FlagRange {
  /** The flag's name without dashes, as in error messages: `--rate: expected ...`. */
  flag: string;
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
}

/** `--port N` on demo and serve: 0 asks the system for a free port. */
export const PORT_RANGE: FlagRange = { flag: 'port', min: 0, max: 65535, integer: true };

/** `demo --rate R`: new orders a minute (0 = none; fractions allowed: 0.5 = one every 2 minutes). */
export const DEMO_RATE_RANGE: FlagRange = { flag: 'rate', min: 0, max: 6000, integer: false };

/** `serve --workers N`: worker processes sharing one port. */
export const WORKERS_RANGE: FlagRange = { flag: 'workers', min: 1, max: 64, integer: true };

/** The shortest access token accepted (`demo --token`, OPSDECK_TOKEN and the file's auth.tokens). */
export const TOKEN_MIN_LENGTH = 8;

/** What `opsdeck demo` uses for a flag that is not given. */
export const DEMO_DEFAULTS = {
  host: '127.0.0.1',
  port: 3001,
  rate: 30,
  seed: 'opsdeck',
} as const;

/** `lo..hi` as the help and the error messages print a range. */
export function rangeText(range: FlagRange): string {
  return `${range.min}..${range.max}`;
}
