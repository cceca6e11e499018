import type { SectionUpdate } from '../../common/protocol.js';

/**
 * Every place in `updates` (as received, oldest first) where a section's version did not strictly
 * increase from one update to the next (a duplicate delivery or a version going back), as readable
 * lines prefixed with `name`; empty when all is well.
 */
export function monotonicityViolations(name: string, updates: readonly SectionUpdate[]): string[] {
  const last = new Map<string, number>();
  const problems: string[] = [];
  updates.forEach((u, i) => {
    const previous = last.get(u.section);
    if (previous !== undefined && u.version <= previous)
      problems.push(`${name}: update #${i} ${u.section} v${u.version} after v${previous}`);
    last.set(u.section, u.version);
  });
  return problems;
}
