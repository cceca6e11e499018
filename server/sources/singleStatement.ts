/**
 * Finds a second SQL statement chained with `;`. Quotes, quoted identifiers, dollar-quoted strings
 * and comments are skipped, so `SELECT ';'` is one statement and a trailing `;` is allowed.
 * Returns the index where the second statement starts, or undefined.
 */
export function findSecondStatement(sql: string): number | undefined {
  let i = 0;
  let sawTerminator = false;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (sawTerminator && !/\s/.test(ch)) {
      if (ch === '-' && next === '-') {
        i = skipLineComment(sql, i);
        continue;
      }
      if (ch === '/' && next === '*') {
        i = skipBlockComment(sql, i);
        continue;
      }
      if (ch === ';') {
        i += 1;
        continue;
      }
      return i;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      i = skipQuoted(sql, i, ch);
    } else if (ch === '-' && next === '-') {
      i = skipLineComment(sql, i);
    } else if (ch === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (ch === '$') {
      i = skipDollarQuoted(sql, i);
    } else {
      if (ch === ';') sawTerminator = true;
      i += 1;
    }
  }
  return undefined;
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '\\' && quote !== '"') {
      i += 2; // MySQL-style backslash escape; harmless for standard strings
      continue;
    }
    if (ch === quote) {
      if (sql[i + 1] === quote) {
        i += 2; // doubled quote inside the literal
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return sql.length;
}

function skipLineComment(sql: string, start: number): number {
  const end = sql.indexOf('\n', start);
  return end === -1 ? sql.length : end + 1;
}

function skipBlockComment(sql: string, start: number): number {
  const end = sql.indexOf('*/', start + 2);
  return end === -1 ? sql.length : end + 2;
}

function skipDollarQuoted(sql: string, start: number): number {
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start));
  if (!tag) return start + 1; // a positional parameter such as $1
  const end = sql.indexOf(tag[0], start + tag[0].length);
  return end === -1 ? sql.length : end + tag[0].length;
}
