/**
 * Whether `SHOW GRANTS` lines give the global privileges a binlog reader needs: REPLICATION SLAVE
 * (read the log) and REPLICATION CLIENT (`SHOW BINARY LOGS`; MariaDB 10.5+ shows it as BINLOG
 * MONITOR). Both exist only on `*.*`; ALL PRIVILEGES includes them.
 */
export interface ReplicationGrants {
  slave: boolean;
  client: boolean;
}

export function replicationGrants(lines: readonly string[]): ReplicationGrants {
  const privileges = new Set<string>();
  for (const line of lines) {
    const match = /^GRANT\s+(.+?)\s+ON\s+\*\.\*\s+TO\s/i.exec(line.trim());
    if (!match?.[1]) continue;
    for (const p of match[1].split(','))
      privileges.add(p.trim().replace(/\s+/g, ' ').toUpperCase());
  }
  const all = privileges.has('ALL PRIVILEGES') || privileges.has('ALL');
  return {
    slave: all || privileges.has('REPLICATION SLAVE'),
    client: all || privileges.has('REPLICATION CLIENT') || privileges.has('BINLOG MONITOR'),
  };
}

/** `'dashboard'@'%'` from CURRENT_USER()'s `dashboard@%`. */
export function accountSql(currentUser: string): string {
  const at = currentUser.lastIndexOf('@');
  const user = at < 0 ? currentUser : currentUser.slice(0, at);
  const host = at < 0 ? '%' : currentUser.slice(at + 1);
  return `'${user.replace(/'/g, "''")}'@'${host.replace(/'/g, "''")}'`;
}
