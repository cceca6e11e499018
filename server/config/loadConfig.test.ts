import { describe, expect, it } from 'vitest';
import { ConfigError } from './ConfigError.js';
import { parseConfigText } from './loadConfig.js';

const minimal = `
database:
  url: postgres://dashboard@db.internal/sales
sections:
  - id: sales
    title: Sales
    view: { type: line, x: day, y: [revenue] }
    sql: SELECT 1 AS day, 2 AS revenue
`;

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText', () => {
  it('applies the documented defaults', () => {
    const config = parseConfigText(minimal, {});
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 3001 });
    expect(config.database).toMatchObject({ pool: 5, statementTimeoutMs: 5000, maxRows: 5000 });
    expect(config.watch).toMatchObject({ mode: 'poll', channel: 'opsdeck_changes' });
    expect(config.auth.allowAnonymous).toBe(false);
  });

  it('names the key path of a missing value as "required"', () => {
    const text = minimal.replace('    sql: SELECT 1 AS day, 2 AS revenue\n', '');
    expect(problems(text)).toEqual(['config: sections[0].sql: required']);
  });

  it('rejects unknown keys, one line each', () => {
    const text = minimal.replace('database:\n', 'databse: {}\ndatabase:\n  pooll: 3\n');
    expect(problems(text)).toEqual(
      expect.arrayContaining([
        'config: databse: unknown key',
        'config: database.pooll: unknown key',
      ]),
    );
  });

  it('substitutes ${NAME} from the environment and reports unset variables by path', () => {
    const text = `${minimal}auth:\n  tokens: ["\${OPSDECK_TOKEN}"]\n`;
    expect(parseConfigText(text, { OPSDECK_TOKEN: 'secret-token-1' }).auth.tokens).toEqual([
      'secret-token-1',
    ]);
    expect(problems(text, {})).toEqual([
      'config: auth.tokens[0]: environment variable OPSDECK_TOKEN is not set',
    ]);
  });

  it('reports unset variables together with every other problem', () => {
    const text = `${minimal.replace('    sql: SELECT 1 AS day, 2 AS revenue\n', '')}auth:\n  tokens: ["\${MISSING}"]\nextra: 1\n`;
    expect(problems(text, {})).toEqual([
      'config: auth.tokens[0]: environment variable MISSING is not set',
      'config: sections[0].sql: required',
      'config: extra: unknown key',
    ]);
  });

  it('never lets a substituted value change the document structure', () => {
    const text = minimal.replace('db.internal/sales', '${HOST}');
    const config = parseConfigText(text, { HOST: 'x\nsections: []' });
    expect(config.database.url).toBe('postgres://dashboard@x\nsections: []');
    expect(config.sections).toHaveLength(1);
  });

  it('refuses a second ;-chained statement and reserved or duplicate ids', () => {
    const text = `${minimal}  - id: sales
    title: Again
    view: { type: table }
    sql: SELECT 1; DROP TABLE orders
  - id: $cluster
    title: Reserved
    view: { type: table }
    sql: SELECT 1
`;
    const lines = problems(text);
    expect(lines).toContain(
      'config: sections[1].sql: only one statement is allowed (a second one starts at character 11)',
    );
    expect(lines).toContain('config: sections[1].id: duplicate id "sales" (also sections[0])');
    expect(lines.some((l) => l.startsWith('config: sections[2].id: must match'))).toBe(true);
  });

  it('needs tables for every section and a PostgreSQL database in notify mode', () => {
    const text = `${minimal.replace('postgres://dashboard@db.internal/sales', 'mysql://root@db/x')}watch: { mode: notify }\n`;
    expect(problems(text)).toEqual([
      'config: watch.mode: notify mode needs a postgres:// database (use poll)',
      'config: sections[0].tables: required in notify mode (the tables whose changes re-run this section)',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const lines = problems('database:\n  url: [unclosed\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^config: line \d+, column \d+: /);
  });

  it('reports wrong types and values', () => {
    const text = minimal.replace('database:\n', 'listen: { port: "http" }\ndatabase:\n  pool: 0\n');
    const lines = problems(text);
    expect(lines.some((l) => l.startsWith('config: listen.port: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('config: database.pool: '))).toBe(true);
  });

  it('explains an empty file and a file that is not a mapping', () => {
    expect(problems('')).toEqual(['config: the file is empty']);
    expect(problems('- a\n- b\n')).toEqual([
      'config: the file must be a YAML mapping (key: value)',
    ]);
  });
});
