import type { TableRef } from './FeedCatalog.js';

/**
 * The relations an `EXPLAIN (FORMAT JSON, VERBOSE)` plan scans: every node's "Relation Name" (with
 * its "Schema"), through sub-plans, init plans and CTEs. De-duplicated, in plan order.
 */
export function planTables(explain: unknown): TableRef[] {
  const found = new Map<string, TableRef>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const name = record['Relation Name'];
    if (typeof name === 'string') {
      const schema = typeof record.Schema === 'string' ? record.Schema : 'public';
      found.set(`${schema}.${name}`, { schema, name });
    }
    visit(record.Plan);
    visit(record.Plans);
  };
  visit(typeof explain === 'string' ? (JSON.parse(explain) as unknown) : explain);
  return [...found.values()];
}
