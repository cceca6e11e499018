import { isAbsolute, resolve } from 'node:path';
import type { Logger } from '../log.js';
import type { DataSource } from './DataSource.js';
import { createMysqlSource } from './mysqlSource.js';
import { createPostgresSource } from './postgresSource.js';
import { createSqliteSource } from './sqliteSource.js';

/** The data source for a `database.url` (postgres://, mysql:// or mariadb://, sqlite:path). */
export function createDataSource(
  url: string,
  options: { pool: number; baseDir: string; log: Logger },
): DataSource {
  if (/^postgres(ql)?:\/\//.test(url))
    return createPostgresSource(url, { pool: options.pool, log: options.log });
  if (/^(mysql|mariadb):\/\//.test(url)) return createMysqlSource(url, { pool: options.pool });
  if (url.startsWith('sqlite:')) return createSqliteSource(sqlitePath(url, options.baseDir));
  throw new Error(`unsupported database URL: ${url.split(':')[0] ?? url}`);
}

/** `sqlite:relative/path.db` is relative to the configuration file's folder. */
export function sqlitePath(url: string, baseDir: string): string {
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
