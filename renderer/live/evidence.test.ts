import { describe, expect, it } from 'vitest';
import type { SectionInfo, SectionUpdate, ServerInfo } from '../../common/protocol.js';
import { verifyRequestSchema } from '../../common/schemas.js';
import {
  buildEvidence,
  EVIDENCE_FORMAT,
  evidenceJson,
  exportFileName,
  verifyRequestOf,
} from './evidence.js';

const info: SectionInfo = {
  id: 'recent',
  title: 'Recent orders',
  view: { type: 'table' },
  mode: 'push',
  sql: 'SELECT id, total FROM orders',
};
const update: SectionUpdate = {
  section: 'recent',
  version: 1767172603120,
  rows: [{ id: 1, total: 12.5 }],
  columns: [
    { name: 'id', type: 'number' },
    { name: 'total', type: 'number' },
  ],
  changedAt: '2026-01-01T10:00:00.000Z',
  queriedAt: '2026-01-01T10:00:00.010Z',
  hash: 'abc-_123',
};
const server: ServerInfo = {
  name: 'opsdeck',
  version: '1.2.3',
  nodeId: 'host-1-x',
  clusterSize: 1,
};
const at = new Date('2026-01-01T10:05:00.000Z');

describe('buildEvidence', () => {
  it('carries the section, version, hash, times, node, SQL and rows', () => {
    expect(buildEvidence(info, update, server, at)).toEqual({
      format: EVIDENCE_FORMAT,
      section: 'recent',
      title: 'Recent orders',
      version: 1767172603120,
      hash: 'abc-_123',
      changedAt: '2026-01-01T10:00:00.000Z',
      queriedAt: '2026-01-01T10:00:00.010Z',
      node: 'host-1-x',
      server: { name: 'opsdeck', version: '1.2.3' },
      sql: 'SELECT id, total FROM orders',
      truncated: false,
      columns: update.columns,
      rows: update.rows,
      exportedAt: '2026-01-01T10:05:00.000Z',
    });
  });

  it('leaves out the SQL the server does not allow, and a hash it did not send', () => {
    const hidden: SectionInfo = { id: info.id, title: info.title, view: info.view, mode: 'push' };
    const unhashed: SectionUpdate = { ...update, truncated: true };
    delete unhashed.hash;
    const evidence = buildEvidence(hidden, unhashed, undefined, at);
    expect(evidence).not.toHaveProperty('sql');
    expect(evidence).not.toHaveProperty('hash');
    expect(evidence).not.toHaveProperty('node');
    expect(evidence.truncated).toBe(true);
    expect(verifyRequestOf(evidence)).toBeUndefined();
  });

  it('round-trips through its JSON text into a valid verify request', () => {
    const text = evidenceJson(buildEvidence(info, update, server, at));
    expect(text.endsWith('\n')).toBe(true);
    const request = verifyRequestOf(JSON.parse(text) as Parameters<typeof verifyRequestOf>[0]);
    expect(verifyRequestSchema.parse(request)).toEqual({
      section: 'recent',
      version: 1767172603120,
      hash: 'abc-_123',
    });
  });
});

describe('exportFileName', () => {
  it('names the section and version, without characters a file system may refuse', () => {
    expect(exportFileName(update, 'csv')).toBe('opsdeck-recent-v1767172603120.csv');
    expect(exportFileName({ section: '$cluster', version: 7 }, 'png')).toBe(
      'opsdeck-cluster-v7.png',
    );
  });
});
