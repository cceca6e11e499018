import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl } from '../sources/describeDatabaseUrl.js';
import { databaseUrlProblem } from './databaseUrlProblem.js';
import { parseConfigText } from './loadConfig.js';

const SECRET = 'p@ss/w:rd';

describe('database URLs with special characters in the password', () => {
  it('accepts ordinary, percent-encoded and socket-folder URLs', () => {
    for (const url of [
      'postgres://dash:secret@db.internal:5432/sales',
      `postgres://dash:${encodeURIComponent(SECRET)}@db/sales`,
      'postgresql:///sales?host=/var/run/postgresql',
      'mysql://root@127.0.0.1:3306/shop',
      'mariadb://u:a:b@db/shop', // a second ':' belongs to the password
      'postgres://u:p@ss@db/sales', // '@': the last one ends the user part (WHATWG URL)
      'sqlite:./demo.db',
    ]) {
      expect(databaseUrlProblem(url), url).toBeUndefined();
    }
  });

  it('refuses a password whose "/", "?" or "#" cuts the user part short, without repeating it', () => {
    for (const url of [
      `postgres://postgres:${SECRET}@127.0.0.1:5432/shop`,
      'mysql://root:a?b@db/shop',
      'mysql://root:a#b@db/shop',
    ]) {
      const problem = databaseUrlProblem(url);
      expect(problem, url).toMatch(/percent-encode .*\/ → %2F/);
      expect(problem).not.toContain('rd@');
      expect(problem).not.toMatch(/a[?#]b/);
    }
  });

  it('is a config error naming database.url', () => {
    const text = `database:\n  url: postgres://postgres:${SECRET}@127.0.0.1/shop\nsections:\n  - { id: a, title: A, sql: SELECT 1 AS x, view: { type: stat } }\n`;
    expect(() => parseConfigText(text)).toThrow(/database\.url: the part before "@" is cut short/);
  });

  it('describes such a URL by its scheme alone: no piece of the password', () => {
    expect(describeDatabaseUrl(`postgres://postgres:${SECRET}@127.0.0.1:5432/shop`, 5432)).toBe(
      'postgres://(unreadable URL)',
    );
    expect(describeDatabaseUrl('postgres://dash:secret@db/sales?sslmode=require', 5432)).toBe(
      'postgres://dash@db:5432/sales',
    );
  });
});
