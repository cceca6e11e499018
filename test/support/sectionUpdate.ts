import type { SectionUpdate } from '../../common/protocol.js';

/**
 * An `update` of section `section` at `version`, as a node broadcasts it: one row `{ v: version }`
 * in a number column `v`, changed and queried now. For tests that hand updates to the delivery
 * code themselves (the slow-consumer guard) rather than through the engine.
 */
export function sectionUpdate(section: string, version: number): SectionUpdate {
  const now = new Date().toISOString();
  return {
    section,
    version,
    rows: [{ v: version }],
    columns: [{ name: 'v', type: 'number' }],
    changedAt: now,
    queriedAt: now,
  };
}
