/**
 * Keeps the reference in docs/ honest: every metric the server registers is in docs/http.md,
 * every key of the configuration schema in docs/config.md (and every key documented there
 * exists), every Socket.IO event and error code of common/protocol.ts in docs/socketio.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../server/config/configSchema.js';
import { Metrics } from '../server/metrics/Metrics.js';
import { clusterSection } from '../server/sections/clusterSection.js';
import { unwrap } from '../server/config/knownKeys.js';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('docs/http.md', () => {
  const doc = read('docs/http.md');

  it('names every metric /metrics serves, and only those', async () => {
    const registered = (await new Metrics().registry.getMetricsAsJSON()).map((m) => m.name);
    expect(registered).toContain('opsdeck_connected_clients');
    expect(registered.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
    const documented = [...doc.matchAll(/`((?:opsdeck|process|nodejs)_[a-z0-9_]+)`/g)].map(
      (m) => m[1] ?? '',
    );
    // The three prom-client gauges named like counters are documented as left out on purpose.
    const leftOut = /^nodejs_active_(handles|requests|resources)_total$/;
    const unknown = documented.filter((name) => !registered.includes(name) && !leftOut.test(name));
    expect(unknown).toEqual([]);
  });
});

describe('docs/config.md', () => {
  const doc = read('docs/config.md');
  const paths = schemaKeyPaths(configSchema);

  it('names every key of the configuration schema by its full path', () => {
    expect(paths).toContain('sections[].view.type');
    expect(paths.filter((path) => !doc.includes(`\`${path}\``))).toEqual([]);
  });

  it('documents no key in its tables that the schema does not accept', () => {
    const rows = [...doc.matchAll(/^\| `([a-z][A-Za-z.[\]]*)` +\|/gm)].map((m) => m[1] ?? '');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((path) => !paths.includes(path))).toEqual([]);
  });
});

describe('docs/socketio.md', () => {
  const doc = read('docs/socketio.md');
  const protocol = read('common/protocol.ts');

  it('has a heading for every event of both event maps', () => {
    const events = [
      ...interfaceKeys(protocol, 'ClientToServerEvents'),
      ...interfaceKeys(protocol, 'ServerToClientEvents'),
    ];
    expect(events).toEqual(expect.arrayContaining(['subscribe', 'update', 'server-shutdown']));
    const missing = events.filter((event) => !new RegExp(`^### \`${event}\``, 'm').test(doc));
    expect(missing).toEqual([]);
  });

  it('explains every error code', () => {
    const union = /export type ErrorCode =([^;]+);/.exec(protocol)?.[1] ?? '';
    const codes = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1] ?? '');
    expect(codes).toContain('bad_request');
    expect(codes.filter((code) => !new RegExp(`^\\| \`${code}\``, 'm').test(doc))).toEqual([]);
  });

  it('lists every column of $cluster with its type', async () => {
    const { columns } = await clusterSection(() => Promise.resolve([])).read();
    expect(columns.length).toBeGreaterThan(5);
    for (const { name, type } of columns) {
      expect(doc).toMatch(new RegExp(`^\\| \`${name}\` +\\| \`${type}\` +\\|`, 'm'));
    }
  });
});

/** `listen`, `listen.host`, ..., `sections[].view.type`: every key the schema takes. */
function schemaKeyPaths(schema: z.ZodType, prefix = ''): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray) return schemaKeyPaths(inner.element as z.ZodType, `${prefix}[]`);
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...schemaKeyPaths(value, path)];
  });
}

/** The member names of `export interface NAME { ... }` in a TypeScript source. */
function interfaceKeys(source: string, name: string): string[] {
  const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1];
  if (body === undefined) throw new Error(`interface ${name} not found in common/protocol.ts`);
  return [...body.matchAll(/^ {2}'?([A-Za-z$-]+)'?\??:/gm)].map((m) => m[1] ?? '');
}
