/**
 * The evidence file of a section: what the console showed, with what anyone needs to check it
 * against the server (the `verify` event: section, version, hash) and to re-check the hash from
 * the rows (docs/socketio.md, `update`). Plain TypeScript, no DOM.
 */
import type {
  Column,
  Row,
  SectionInfo,
  SectionUpdate,
  ServerInfo,
  VerifyRequest,
} from '../../common/protocol.js';

export const EVIDENCE_FORMAT = 'opsdeck-evidence/1';

export interface Evidence {
  format: typeof EVIDENCE_FORMAT;
  section: string;
  title: string;
  version: number;
  /** The server's canonical hash of the rows; absent when the server sent none (older servers). */
  hash?: string;
  changedAt: string;
  queriedAt: string;
  /** The node that served the rows (catalog `server.nodeId`). */
  node?: string;
  server?: { name: string; version: string };
  /** The section's SQL, only when the server allows it (showSql). */
  sql?: string;
  truncated: boolean;
  columns: Column[];
  rows: Row[];
  /** ISO 8601 UTC: when the file was made. */
  exportedAt: string;
}

/** The evidence of the update on screen. */
export function buildEvidence(
  info: SectionInfo,
  update: SectionUpdate,
  server: ServerInfo | undefined,
  exportedAt: Date,
): Evidence {
  return {
    format: EVIDENCE_FORMAT,
    section: update.section,
    title: info.title,
    version: update.version,
    ...(update.hash !== undefined ? { hash: update.hash } : {}),
    changedAt: update.changedAt,
    queriedAt: update.queriedAt,
    ...(server
      ? { node: server.nodeId, server: { name: server.name, version: server.version } }
      : {}),
    ...(info.sql !== undefined ? { sql: info.sql } : {}),
    truncated: update.truncated === true,
    columns: update.columns,
    rows: update.rows,
    exportedAt: exportedAt.toISOString(),
  };
}

/** The evidence as the file's text: pretty JSON, ending with a newline. */
export function evidenceJson(evidence: Evidence): string {
  return `${JSON.stringify(evidence, null, 2)}\n`;
}

/** What to ask the server (`verify`), or undefined when the evidence has no hash to check. */
export function verifyRequestOf(
  evidence: Pick<Evidence, 'section' | 'version' | 'hash'>,
): VerifyRequest | undefined {
  if (evidence.hash === undefined) return undefined;
  return { section: evidence.section, version: evidence.version, hash: evidence.hash };
}

/** A file name for an export of this update: `opsdeck-recent-v1767172603120.csv`. */
export function exportFileName(update: Pick<SectionUpdate, 'section' | 'version'>, ext: string) {
  const id = update.section.replace(/[^a-z0-9_-]/gi, '');
  return `opsdeck-${id || 'section'}-v${update.version}.${ext}`;
}
