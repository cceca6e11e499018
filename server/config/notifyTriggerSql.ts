/**
 * The PostgreSQL trigger SQL that notify mode needs: each listed table sends
 * `NOTIFY <channel>, '<table name>'` once per statement that changes it.
 */
export function notifyTriggerSql(channel: string, tables: readonly string[]): string {
  const fn = `${channel}_notify`;
  const lines = [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    'BEGIN',
    `  PERFORM pg_notify('${channel}', TG_TABLE_NAME);`,
    '  RETURN NULL;',
    'END $$;',
  ];
  for (const table of [...new Set(tables)].sort()) {
    const trigger = `${fn}_${table.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63);
    lines.push(
      `DROP TRIGGER IF EXISTS ${trigger} ON ${table};`,
      `CREATE TRIGGER ${trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}`,
      `  FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
    );
  }
  return lines.join('\n');
}
