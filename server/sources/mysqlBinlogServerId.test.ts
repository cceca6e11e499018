import { describe, expect, it } from 'vitest';
import { binlogServerId } from './mysqlBinlogServerId.js';

describe('binlogServerId', () => {
  const url = 'mysql://dash:secret@db.internal:3306/sales';

  it('is the same for the same cluster and database, whatever the credentials', () => {
    expect(binlogServerId('cluster:prod', url)).toBe(
      binlogServerId('cluster:prod', 'mysql://other@db.internal:3306/sales'),
    );
  });

  it('differs between clusters and between databases', () => {
    const id = binlogServerId('cluster:prod', url);
    expect(binlogServerId('cluster:staging', url)).not.toBe(id);
    expect(binlogServerId('cluster:prod', 'mysql://dash@db.internal:3306/hr')).not.toBe(id);
  });

  it('stays in the high range, clear of hand-numbered replicas and of 2^31', () => {
    for (const scope of ['a', 'b', 'c', 'node:host:3001']) {
      const id = binlogServerId(scope, url);
      expect(id).toBeGreaterThanOrEqual(0x7000_0000);
      expect(id).toBeLessThan(0x8000_0000);
    }
  });
});
