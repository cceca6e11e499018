import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A private temporary directory for a test file's databases, removed by cleanup(). Test helper:
 * the demo tests need real files, because WAL mode and a second connection do not exist in memory.
 */
export function tempDir(): { file(name: string): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-demo-'));
  return {
    file: (name) => path.join(dir, name),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
