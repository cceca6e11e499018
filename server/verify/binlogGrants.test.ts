import { describe, expect, it } from 'vitest';
import { accountSql, replicationGrants } from './binlogGrants.js';

describe('replicationGrants', () => {
  it('reads MariaDB 10.5+ grants (REPLICATION CLIENT shown as BINLOG MONITOR)', () => {
    expect(
      replicationGrants([
        'GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `u1`@`%`',
        'GRANT SELECT ON `sales`.* TO `u1`@`%`',
      ]),
    ).toEqual({ slave: true, client: true });
  });

  it('reads MySQL 8 grants among others, and ALL PRIVILEGES', () => {
    expect(
      replicationGrants([
        'GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `dash`@`%`',
      ]),
    ).toEqual({ slave: true, client: true });
    expect(
      replicationGrants(['GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION']),
    ).toEqual({
      slave: true,
      client: true,
    });
  });

  it('finds what is missing, and ignores grants on one schema', () => {
    expect(replicationGrants(['GRANT REPLICATION CLIENT ON *.* TO `u`@`%`'])).toEqual({
      slave: false,
      client: true,
    });
    expect(replicationGrants(['GRANT ALL PRIVILEGES ON `sales`.* TO `u`@`%`'])).toEqual({
      slave: false,
      client: false,
    });
  });
});

describe('accountSql', () => {
  it("quotes CURRENT_USER()'s user@host for a GRANT", () => {
    expect(accountSql('dashboard@%')).toBe("'dashboard'@'%'");
    expect(accountSql("o'neil@10.0.0.1")).toBe("'o''neil'@'10.0.0.1'");
  });
});
