/**
 * A section's change log: the last CHANGE_LOG_LIMIT versions the console received, newest first,
 * each with when it changed and how many rows it added, removed and changed. Kept in memory only,
 * bounded per section. Pure: no React, no DOM.
 */
import type { SectionUpdate } from '../../common/protocol.js';
import type { RowDiff } from './rowDiff.js';

/** Versions kept per section. */
export const CHANGE_LOG_LIMIT = 50;

export interface ChangeLogEntry {
  version: number;
  /** The server's changedAt (ISO 8601 UTC). */
  changedAt: string;
  /** Client epoch ms when the console received it. */
  receivedAt: number;
  /** Rows in this version. */
  rows: number;
  /** Undefined for the first version the console saw: nothing to compare it with. */
  added?: number;
  removed?: number;
  changed?: number;
}

/** The log entry of an update, with the counts of its diff when there was a version before it. */
export function changeEntry(
  update: SectionUpdate,
  diff: RowDiff | undefined,
  receivedAt: number,
): ChangeLogEntry {
  const entry: ChangeLogEntry = {
    version: update.version,
    changedAt: update.changedAt,
    receivedAt,
    rows: update.rows.length,
  };
  if (diff) {
    entry.added = diff.added.length;
    entry.removed = diff.removed.length;
    entry.changed = diff.changed.length;
  }
  return entry;
}

/** The log with `entry` first, at most `limit` entries (the oldest dropped). */
export function appendChange(
  log: readonly ChangeLogEntry[] | undefined,
  entry: ChangeLogEntry,
  limit = CHANGE_LOG_LIMIT,
): ChangeLogEntry[] {
  return [entry, ...(log ?? []).slice(0, Math.max(0, limit - 1))];
}
