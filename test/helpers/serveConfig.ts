import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a configuration file for `opsdeck serve` into a fresh temporary folder. JSON is valid
 * YAML, so the object is written as JSON. Returns the path and a cleanup function.
 */
export function writeServeConfig(config: object): {
  file: string;
  dir: string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-config-'));
  const file = join(dir, 'opsdeck.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { file, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A table section for a configuration; `tables` (the notify feed's) only when given. */
export const tableSection = (id: string, sql: string, tables?: string[]) => ({
  id,
  title: id,
  view: { type: 'table' },
  sql,
  ...(tables ? { tables } : {}),
});
