import { describe, expect, it } from 'vitest';
import { configProblems } from '../../test/helpers/configProblems.js';
import { TOKEN_MIN_LENGTH } from '../cli/limits.js';
import { configSchema } from './configSchema.js';
import { knownKeysAt } from './knownKeys.js';
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

describe('parseConfigText', () => {
  it('applies the documented defaults', () => {
    const config = parseConfigText(minimal, {});
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 3001 });
    expect(config.database).toMatchObject({ pool: 5, statementTimeoutMs: 5000, maxRows: 5000 });
    expect(config.watch).toMatchObject({ mode: 'poll', channel: 'opsdeck_changes' });
    expect(config.auth.allowAnonymous).toBe(false);
    expect(config.showSql).toBe(false); // SQL can reveal the schema: shown only when asked
    expect(config.sections[0]?.showSql).toBeUndefined();
  });

  it('takes showSql at the top and per section, as booleans (also from the environment)', () => {
    const text = `showSql: \${SHOW}\n${minimal}`.replace(
      '    sql: SELECT 1 AS day',
      '    showSql: false\n    sql: SELECT 1 AS day',
    );
    const config = parseConfigText(text, { SHOW: 'true' });
    expect(config.showSql).toBe(true);
    expect(config.sections[0]?.showSql).toBe(false);
    expect(configProblems(`showSql: yes please\n${minimal}`)).toEqual([
      'config: showSql: expected true or false, got "yes please"',
    ]);
    expect(configProblems(`${minimal}    showSQL: true\n`)).toEqual([
      'config: sections[0].showSQL: unknown key; did you mean "showSql"?',
    ]);
  });

  it('names the key path of a missing value as "required"', () => {
    const text = minimal.replace('    sql: SELECT 1 AS day, 2 AS revenue\n', '');
    expect(configProblems(text)).toEqual(['config: sections[0].sql: required']);
  });

  it('rejects unknown keys, one line each, suggesting the nearest key of that object', () => {
    const text = minimal.replace(
      'database:\n  url: postgres://dashboard@db.internal/sales\n',
      'databse: {}\nlisten:\n  pooll: 3\n  prot: 80\n',
    );
    expect(configProblems(text).sort()).toEqual([
      'config: database: required',
      'config: databse: unknown key; did you mean "database"?',
      'config: listen.pooll: unknown key', // "pool" is a key of database, not of listen
      'config: listen.prot: unknown key; did you mean "port"?',
    ]);
  });

  it('suggests the nearest key at any depth, inside lists too', () => {
    const text = `${minimal.replace('    view: { type: line, x: day, y: [revenue] }', '    view: { tpye: line }\n    intervalMS: 500')}listen:\n  prot: 80\n  Host: 0.0.0.0\n`;
    expect(configProblems(text)).toEqual([
      'config: listen.prot: unknown key; did you mean "port"?',
      'config: listen.Host: unknown key; did you mean "host"?',
      'config: sections[0].view.type: required',
      'config: sections[0].view.tpye: unknown key; did you mean "type"?',
      'config: sections[0].intervalMS: unknown key; did you mean "intervalMs"?',
    ]);
  });

  it('suggests nothing for a key that is no likely typo, or whose near key is already set', () => {
    const text = `${minimal}listen:\n  port: 3001\n  prot: 80\n  frobnicate: true\n`;
    expect(configProblems(text)).toEqual([
      'config: listen.prot: unknown key',
      'config: listen.frobnicate: unknown key',
    ]);
  });

  it('finds the known keys of any object in the schema', () => {
    expect(knownKeysAt(configSchema, [])).toEqual([
      'listen',
      'auth',
      'database',
      'watch',
      'cluster',
      'showSql',
      'sections',
      'alerts',
      'dashboards',
      'observability',
    ]);
    expect(knownKeysAt(configSchema, ['observability', 'adminUi'])).toEqual([
      'enabled',
      'username',
      'passwordHash',
      'readonly',
    ]);
    expect(knownKeysAt(configSchema, ['listen'])).toEqual([
      'host',
      'port',
      'tls',
      'allowedOrigins',
    ]);
    expect(knownKeysAt(configSchema, ['listen', 'tls'])).toEqual(['cert', 'key']);
    expect(knownKeysAt(configSchema, ['sections', 3, 'view'])).toContain('type');
    expect(knownKeysAt(configSchema, ['sections', 'x'])).toEqual([]);
    expect(knownKeysAt(configSchema, ['listen', 'port'])).toEqual([]);
  });

  it(`takes tokens of ${TOKEN_MIN_LENGTH} characters, the minimum the CLI help states`, () => {
    const withToken = (token: string) => `${minimal}auth:\n  tokens: ["${token}"]\n`;
    expect(parseConfigText(withToken('x'.repeat(TOKEN_MIN_LENGTH))).auth.tokens).toHaveLength(1);
    expect(configProblems(withToken('x'.repeat(TOKEN_MIN_LENGTH - 1)))).toEqual([
      `config: auth.tokens[0]: tokens must be at least ${TOKEN_MIN_LENGTH} characters`,
    ]);
  });

  it('substitutes ${NAME} from the environment and reports unset variables by path', () => {
    const text = `${minimal}auth:\n  tokens: ["\${OPSDECK_TOKEN}"]\n`;
    expect(parseConfigText(text, { OPSDECK_TOKEN: 'secret-token-1' }).auth.tokens).toEqual([
      'secret-token-1',
    ]);
    expect(configProblems(text, {})).toEqual([
      'config: auth.tokens[0]: environment variable OPSDECK_TOKEN is not set',
    ]);
  });

  it('numbers and booleans may come from the environment (which is always text)', () => {
    const pool = minimal.replace('database:\n', 'database:\n  pool: "${POOL}"\n');
    const text = `listen:\n  port: \${PORT}\nauth:\n  allowAnonymous: \${ANON}\n${pool}`;
    const config = parseConfigText(text, { PORT: '4000', ANON: 'true', POOL: '7' });
    expect(config.listen.port).toBe(4000);
    expect(config.auth.allowAnonymous).toBe(true);
    expect(config.database.pool).toBe(7);
    const wrong = configProblems(text, { PORT: 'http', ANON: 'yes', POOL: '7.5' });
    expect(wrong.some((l) => l.startsWith('config: listen.port: '))).toBe(true);
    expect(wrong.some((l) => l.startsWith('config: auth.allowAnonymous: '))).toBe(true);
    expect(wrong.some((l) => l.startsWith('config: database.pool: '))).toBe(true);
    // A text field keeps a numeric value as text.
    const token = `${minimal}auth:\n  tokens: ["\${T}"]\n`;
    expect(parseConfigText(token, { T: '1234567890' }).auth.tokens).toEqual(['1234567890']);
  });

  it('reports unset variables together with every other problem', () => {
    const text = `${minimal.replace('    sql: SELECT 1 AS day, 2 AS revenue\n', '')}auth:\n  tokens: ["\${MISSING}"]\nextra: 1\n`;
    expect(configProblems(text, {})).toEqual([
      'config: auth.tokens[0]: environment variable MISSING is not set',
      'config: sections[0].sql: required',
      'config: extra: unknown key',
    ]);
  });

  it('never lets a substituted value change the document structure', () => {
    const text = minimal.replace('title: Sales', 'title: ${TITLE}');
    const config = parseConfigText(text, { TITLE: 'x\nsections: []' });
    expect(config.sections[0]?.title).toBe('x\nsections: []');
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
    const lines = configProblems(text);
    expect(lines).toContain(
      'config: sections[1].sql: only one statement is allowed (a second one starts at character 11)',
    );
    expect(lines).toContain('config: sections[1].id: duplicate id "sales" (also sections[0])');
    expect(lines.some((l) => l.startsWith('config: sections[2].id: must match'))).toBe(true);
  });

  it('needs a PostgreSQL database in notify mode (tables may be left out: derived from the query)', () => {
    const text = `${minimal.replace('postgres://dashboard@db.internal/sales', 'mysql://root@db/x')}watch: { mode: notify }\n`;
    expect(configProblems(text)).toEqual([
      'config: watch.mode: notify mode needs a postgres:// database (use poll or binlog)',
    ]);
  });

  it('matches the change feed to the database: logical on PostgreSQL, binlog on MySQL/MariaDB', () => {
    const onMysql = minimal.replace('postgres://dashboard@db.internal/sales', 'mysql://root@db/x');
    expect(configProblems(`${onMysql}watch: { mode: logical }\n`)).toEqual([
      'config: watch.mode: logical mode needs a postgres:// database (use poll or binlog)',
    ]);
    expect(configProblems(`${minimal}watch: { mode: binlog }\n`)).toEqual([
      'config: watch.mode: binlog mode needs a mysql:// or mariadb:// database (use poll, notify or logical)',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const lines = configProblems('database:\n  url: [unclosed\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^config: line \d+, column \d+: /);
  });

  it('reports wrong types and values', () => {
    const text = minimal.replace('database:\n', 'listen: { port: "http" }\ndatabase:\n  pool: 0\n');
    const lines = configProblems(text);
    expect(lines.some((l) => l.startsWith('config: listen.port: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('config: database.pool: '))).toBe(true);
  });

  it('explains an empty file and a file that is not a mapping', () => {
    expect(configProblems('')).toEqual(['config: the file is empty']);
    expect(configProblems('- a\n- b\n')).toEqual([
      'config: the file must be a YAML mapping (key: value)',
    ]);
  });
});
