import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath } from '../../common/schemas.js';
import { ConfigError } from './ConfigError.js';
import { configSchema, type OpsdeckConfig } from './configSchema.js';
import { knownKeysAt } from './knownKeys.js';
import { issueMessage } from './issueMessage.js';
import { nearestKey } from './nearestKey.js';
import { substituteEnv } from './substituteEnv.js';

export interface LoadedConfig {
  config: OpsdeckConfig;
  /** Folder of the file: relative paths in it (sqlite:, TLS files) are relative to this. */
  baseDir: string;
}

/** Reads, substitutes and validates a configuration file; throws ConfigError listing every problem. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a folder'
          : (error as Error).message;
    throw new ConfigError([`config: cannot read ${file}: ${why}`]);
  }
  const baseDir = dirname(resolve(file));
  return { config: parseConfigText(text, env), baseDir };
}

export function parseConfigText(text: string, env: NodeJS.ProcessEnv = process.env): OpsdeckConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        // The library's first line repeats the position; its code frame is replaced by the line.
        const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        if (!at) return `config: ${message}`;
        const source = text.split('\n')[at.line - 1]?.trim() ?? '';
        const shown = source.length > 60 ? `${source.slice(0, 60)}…` : source;
        return `config: line ${at.line}, column ${at.col}: ${message}${shown ? ` (the line reads: ${shown})` : ''}`;
      }),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) throw new ConfigError(['config: the file is empty']);
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(['config: the file must be a YAML mapping (key: value)']);
  }
  const envProblems: string[] = [];
  const substituted = substituteEnv(raw, env, envProblems);
  const result = configSchema.safeParse(substituted);
  if (result.success && envProblems.length === 0) return result.data;
  // Report everything at once; a key whose variable is unset is reported for that reason only.
  const schemaProblems = result.success ? [] : describeConfigIssues(result.error, substituted);
  const envKeys = envProblems.map((line) =>
    line.slice(0, line.lastIndexOf(': environment variable')),
  );
  throw new ConfigError([
    ...envProblems,
    ...schemaProblems.filter((line) => !envKeys.some((key) => line.startsWith(`${key}: `))),
  ]);
}

/**
 * `config: sections[1].sql: required`, one line per problem; unknown keys one line each, with the
 * nearest key that object takes when it looks like a typo (`listen.prot: unknown key; did you mean
 * "port"?`). `input` (the parsed file) keeps keys the file already has out of the suggestions.
 */
export function describeConfigIssues(
  error: z.ZodError,
  input?: unknown,
  schema: z.ZodType = configSchema,
): string[] {
  const lines: string[] = [];
  const said = new Set<string>(); // one problem per key: `-1` is not also "too small" twice
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const present = keysAt(input, issue.path);
      const known = knownKeysAt(schema, issue.path).filter((k) => !present.includes(k));
      for (const key of issue.keys) {
        const near = nearestKey(key, known);
        const hint = near === undefined ? '' : `; did you mean "${near}"?`;
        lines.push(`config: ${formatPath('', [...issue.path, key])}: unknown key${hint}`);
      }
      continue;
    }
    const missing =
      (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) ||
      (issue.code === 'invalid_value' && isMissing(input, issue.path));
    const path = formatPath('', issue.path);
    if (said.has(path)) continue;
    said.add(path);
    const message = missing ? 'required' : issueMessage(issue, valueAt(input, issue.path));
    lines.push(`config: ${path}: ${message}`);
  }
  return lines;
}

/** The value at `path` in a parsed YAML value, or undefined. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** The keys of the object at `path` (none if it is not an object). */
function keysAt(value: unknown, path: readonly PropertyKey[]): string[] {
  const current = valueAt(value, path);
  return current !== null && typeof current === 'object' && !Array.isArray(current)
    ? Object.keys(current)
    : [];
}

/** True when the file does not set the key at `path` (an enum without a default, e.g. view.type). */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  return input !== undefined && path.length > 0 && valueAt(input, path) === undefined;
}
