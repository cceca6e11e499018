import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTempPostgres } from '../testkit/tempPostgres.js';

describe('testkit/tempPostgres', () => {
  it('starts a private PostgreSQL with wal_level=logical on a free port and removes it', async () => {
    const server = await startTempPostgres();
    let dir: string | undefined;
    try {
      expect(server.port).not.toBe(5432);
      const [row] = await server.query(
        "SELECT current_setting('wal_level') AS wal, current_setting('data_directory') AS dir",
      );
      expect(row?.['wal']).toBe('logical');
      dir = String(row?.['dir']);
      expect(existsSync(dir)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(existsSync(dir)).toBe(false);
    await expect(server.query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });
});
