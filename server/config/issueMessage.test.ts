import { describe, expect, it } from 'vitest';
import { configProblems } from '../../test/helpers/configProblems.js';

const config = (extra: string, database = '') =>
  `database:\n  url: postgres://u@db/x\n${database}${extra}sections:\n  - { id: a, title: A, sql: SELECT 1 AS x, view: { type: stat } }\n`;

describe('configuration problems in plain words', () => {
  it('names the expected kind and the value given', () => {
    expect(configProblems(config('listen: { port: "abc" }\n'))).toEqual([
      'config: listen.port: expected a number, got "abc"',
    ]);
    expect(configProblems(config('', '  maxRows: 1.5\n'))).toEqual([
      'config: database.maxRows: expected a whole number, got 1.5',
    ]);
  });

  it('one line per key, with the bound it missed', () => {
    expect(configProblems(config('watch: { intervalMs: -1000 }\n'))).toEqual([
      'config: watch.intervalMs: must be at least 100, got -1000',
    ]);
  });

  it('an option that is not one of the choices: the choices, and the nearest one', () => {
    expect(configProblems(config('watch: { mode: notfy }\n'))).toEqual([
      'config: watch.mode: "notfy" is not one of poll, notify, logical, binlog; did you mean "notify"?',
    ]);
  });

  it('YAML errors: the position once, and the line as written', () => {
    const text = 'database:\n  url: postgres://u@db/x\n  url: postgres://u@db/y\nsections: []\n';
    expect(configProblems(text)).toEqual([
      'config: line 3, column 3: Map keys must be unique (the line reads: url: postgres://u@db/y)',
    ]);
  });
});
