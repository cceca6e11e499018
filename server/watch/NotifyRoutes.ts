import type { FeedSection, SectionFeed } from '../verify/verifyNotifyFeed.js';

/**
 * Which sections a notification for a table re-runs: the tables listed in `tables:`, or, for a
 * section without them, the tables derived from its plan. Until those are known, such a section
 * re-runs on every notification (never on none).
 */
export class NotifyRoutes {
  private readonly configured = new Map<string, Set<string>>();
  private readonly derived = new Map<string, Set<string>>();
  private readonly unknown = new Set<string>();

  constructor(sections: readonly FeedSection[]) {
    for (const section of sections) {
      if (!section.tables) {
        this.unknown.add(section.id);
        continue;
      }
      for (const table of section.tables) add(this.configured, normalizeTable(table), section.id);
    }
  }

  /** The verification found the tables of a section without `tables:`. */
  setDerived(feed: SectionFeed): void {
    if (!feed.derived || !feed.tables) return;
    for (const ids of this.derived.values()) ids.delete(feed.section);
    for (const table of feed.tables) add(this.derived, normalizeTable(table.name), feed.section);
    this.unknown.delete(feed.section);
  }

  sectionsFor(table: string): Set<string> {
    const key = normalizeTable(table);
    return new Set([
      ...(this.configured.get(key) ?? []),
      ...(this.derived.get(key) ?? []),
      ...this.unknown,
    ]);
  }
}

/** `public.Orders` and `orders` name the same table for matching purposes. */
export function normalizeTable(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/"/g, '').toLowerCase();
}

function add(map: Map<string, Set<string>>, key: string, id: string): void {
  let ids = map.get(key);
  if (!ids) map.set(key, (ids = new Set()));
  ids.add(id);
}
