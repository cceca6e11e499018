import { describe, expect, it } from 'vitest';
import { findSecondStatement } from './singleStatement.js';

describe('findSecondStatement', () => {
  it.each([
    'SELECT 1',
    'SELECT 1;',
    'SELECT 1;  \n  ',
    "SELECT ';' AS semi",
    'SELECT "a;b" FROM t',
    'SELECT `a;b` FROM t',
    "SELECT 'it''s; fine'",
    'SELECT 1 -- trailing; comment',
    'SELECT /* ; */ 1',
    'SELECT $$ ; $$',
    'SELECT $tag$ ; $tag$',
    'SELECT 1; -- just a comment after',
    'SELECT $1::int',
  ])('accepts one statement: %s', (sql) => {
    expect(findSecondStatement(sql)).toBeUndefined();
  });

  it.each([
    ['SELECT 1; DROP TABLE orders', 10],
    ['SELECT 1;DELETE FROM t', 9],
    ["SELECT ';'; SELECT 2", 12],
    ['SELECT 1; /* x */ SELECT 2', 18],
  ])('finds the second statement in %s', (sql, at) => {
    expect(findSecondStatement(sql)).toBe(at);
  });
});
