import type { Scope } from './scope.js';
import type { ResultRow } from './table.js';

export interface Context {
  quick: boolean;
  scope: Scope;
  /** Progress, to standard error (standard output is the table). */
  log: (line: string) => void;
}

export interface Scenario {
  /** `1` .. `9`, as in issue 6. */
  id: string;
  title: string;
  /** Hard limit for the whole scenario, cleanup excluded. */
  timeoutMs: (quick: boolean) => number;
  run: (ctx: Context) => Promise<ResultRow[]>;
  /**
   * Quick mode runs it alongside the others: what it measures (queries counted by PostgreSQL) does
   * not depend on the CPU it shares, and its waits would not fit in two minutes otherwise.
   */
  backgroundWhenQuick?: boolean;
}
