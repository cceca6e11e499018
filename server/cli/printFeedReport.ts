import type { SectionFeed } from '../verify/verifyNotifyFeed.js';
import { tableLabel } from '../config/notifyTriggerSql.js';

/**
 * The notify-feed part of `opsdeck check`: one line per section, `ok` with the tables it watches
 * or `FAIL` with what is wrong and the exact fix (printed once when several sections share it).
 * Returns the number of FAIL lines.
 */
export function printFeedReport(
  feeds: readonly SectionFeed[],
  out: (line: string) => void,
): number {
  const width = Math.max(0, ...feeds.map((f) => f.section.length));
  const printedFixes = new Set<string>();
  let failures = 0;
  for (const feed of feeds) {
    const name = feed.section.padEnd(width);
    if (feed.problems.length === 0) {
      const tables = (feed.tables ?? []).map(tableLabel).join(', ');
      if (tables === '') {
        out(
          `  ok    ${name}  reads no table (only functions or the clock): re-read at each safety re-check`,
        );
      } else {
        out(`  ok    ${name}  watches ${tables}${feed.derived ? ' (from the query plan)' : ''}`);
      }
      continue;
    }
    for (const problem of feed.problems) {
      failures += 1;
      out(`  FAIL  ${name}  ${problem.message}`);
      if (printedFixes.has(problem.fix)) {
        out(`        fix: the same as above`);
        continue;
      }
      printedFixes.add(problem.fix);
      const [first = '', ...rest] = problem.fix.split('\n');
      out(`        fix: ${first}`);
      for (const line of rest) out(`          ${line}`);
    }
  }
  return failures;
}
