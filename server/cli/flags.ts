import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearestKey } from '../config/nearestKey.js';
import { PORT_RANGE, rangeText, type FlagRange } from './limits.js';
import { UsageError } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed flags: a string for `type: 'string'`, true for a boolean flag that was given. */
export type FlagValues<O extends Options> = {
  -readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

/**
 * Parses `--name value` flags strictly; unknown flags and stray arguments are usage errors, an
 * unknown flag naming the nearest known one (`unknown flag --prot; did you mean --port?`).
 */
export function parseFlags<O extends Options>(args: string[], options: O): FlagValues<O> {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    const out: Record<string, string | boolean> = {};
    for (const [k, v] of Object.entries(values)) {
      if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    }
    return out as FlagValues<O>;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const unknown = /^Unknown option '([^']+)'/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined) {
      throw new UsageError(unknownFlagMessage(unknown, Object.keys(options)));
    }
    throw new UsageError(e.message.replace(/\. To specify.*$/s, ''));
  }
}

/** `unknown flag --prot; did you mean --port?`, or the list of known flags when none is close. */
export function unknownFlagMessage(typed: string, known: readonly string[]): string {
  const name = typed.replace(/^-+/, '').replace(/=.*$/s, '');
  const near = nearestKey(name, known);
  if (near !== undefined) return `unknown flag ${typed}; did you mean --${near}?`;
  const list = [...known, 'help'].map((k) => `--${k}`).join(', ');
  return `unknown flag ${typed} (known: ${list})`;
}

/** A number within `range` (whole if range.integer), or undefined when the flag was not given. */
export function rangeFlag(range: FlagRange, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const kind = range.integer ? 'a whole number' : 'a number';
  if (
    value.trim() === '' ||
    !Number.isFinite(n) ||
    (range.integer && !/^\s*\d+\s*$/.test(value)) ||
    n < range.min ||
    n > range.max
  ) {
    throw new UsageError(`--${range.flag}: expected ${kind} ${rangeText(range)}, got "${value}"`);
  }
  return n;
}

export function portFlag(value: string | undefined): number | undefined {
  return rangeFlag(PORT_RANGE, value);
}
