import type { Column, Row } from '../../common/protocol.js';
import type { SectionSpec } from '../../server/sections/SectionEngine.js';

/**
 * A section whose rows the test sets: in memory, no database (and no SQLite worker, so no build).
 * Every read is counted; `failWith` makes the next reads fail with that message.
 */
export class ControlledSection {
  readonly spec: SectionSpec;
  rows: Row[];
  failWith: string | undefined;
  reads = 0;

  constructor(
    readonly id: string,
    rows: Row[] = [{ v: 0 }],
    columns: Column[] = [{ name: 'v', type: 'number' }],
  ) {
    this.rows = rows;
    this.spec = {
      info: { id, title: `Section ${id}`, view: { type: 'table' }, mode: 'push' },
      read: () => {
        this.reads += 1;
        if (this.failWith !== undefined) return Promise.reject(new Error(this.failWith));
        return Promise.resolve({ rows: this.rows, columns, truncated: false });
      },
    };
  }
}
