import type { SectionEngine } from '../sections/SectionEngine.js';
import type { DataSource } from '../sources/DataSource.js';

/** How long the database may take to answer one ping before it counts as gone (or hung). */
const PING_MS = 2000;

/**
 * A change feed's connection dropped. If the database itself does not answer (stopped, hung,
 * unreachable), every section is read now: the reads fail with the database's own error, so the
 * sections show as failing at once instead of looking fine until the next safety re-check. If it
 * answers, nothing is read: only the feed's connection went, and the feed catches up when back.
 */
export async function readIfDatabaseGone(
  source: DataSource,
  engine: SectionEngine,
  isStopped: () => boolean,
): Promise<void> {
  try {
    await source.ping(PING_MS);
  } catch {
    if (!isStopped()) engine.requestAll(Date.now(), 'resync');
  }
}
