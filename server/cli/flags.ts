import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `--name value` flags strictly; unknown flags and stray arguments are usage errors. */
export function parseFlags(args: string[], options: Options): Record<string, string | undefined> {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    const out: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'string' ? v : undefined;
    return out;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

export function portFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`--port: expected 0-65535, got "${value}"`);
  return port;
}

export function numberFlag(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name}: expected a number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
