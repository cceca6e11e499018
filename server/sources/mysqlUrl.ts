/** MySQL and MariaDB connection URLs: parsed for the driver, and described without secrets. */
import { describeDatabaseUrl } from './describeDatabaseUrl.js';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string | undefined;
}

/** `mysql://user:password@host:port/database` (or `mariadb://`); parts are percent-decoded. */
export function parseMysqlUrl(url: string): MysqlTarget {
  const u = new URL(url);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`not a mysql:// or mariadb:// URL: ${u.protocol}`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost', // IPv6 literals come bracketed
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database || undefined,
  };
}

/** `mysql://user@host:3306/db`: the URL without password or query string, for logs. */
export function describeMysqlUrl(url: string): string {
  return describeDatabaseUrl(url, 3306);
}
