import type { TableRef } from '../sources/FeedCatalog.js';

/**
 * The PostgreSQL trigger SQL that notify mode needs: each listed table sends
 * `NOTIFY <channel>, '<table name>'` once per statement that changes it. Tables are names as
 * written in the configuration (`orders`, `public.agents`) or catalog references, which are quoted
 * where SQL needs it. Safe to run again (CREATE OR REPLACE, DROP TRIGGER IF EXISTS).
 */
export function notifyTriggerSql(channel: string, tables: readonly (string | TableRef)[]): string {
  const fn = `${channel}_notify`;
  const lines = [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    'BEGIN',
    `  PERFORM pg_notify('${channel}', TG_TABLE_NAME);`,
    '  RETURN NULL;',
    'END $$;',
  ];
  const byName = new Map<string, string>();
  for (const table of tables) {
    const sql = typeof table === 'string' ? table : tableSql(table);
    const bare = typeof table === 'string' ? (table.split('.').pop() ?? table) : table.name;
    byName.set(sql, bare);
  }
  for (const [table, bare] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const trigger = `${fn}_${bare.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63).toLowerCase();
    lines.push(
      `DROP TRIGGER IF EXISTS ${trigger} ON ${table};`,
      `CREATE TRIGGER ${trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}`,
      `  FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
    );
  }
  return lines.join('\n');
}

/** `orders`, `sales.orders`, `"Orders"`: a catalog reference as SQL (public is left out). */
export function tableSql(table: TableRef): string {
  const name = quoteIdent(table.name);
  return table.schema === 'public' ? name : `${quoteIdent(table.schema)}.${name}`;
}

/** The name as people read it: `orders`, `sales.orders`. */
export function tableLabel(table: TableRef): string {
  return table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}

/** Words PostgreSQL reserves that are plausible table names; these are always quoted. */
const RESERVED = new Set(
  'all analyse analyze and any array as asc check collate column constraint create current_date current_user default desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime not null offset on only or order placing primary references returning select session_user some symmetric table then to trailing true union unique user using variadic when where window with'.split(
    ' ',
  ),
);

export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}
