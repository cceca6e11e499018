/** The log file: timestamped lines, buffered, rotated at the size cap. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RotatingLog } from './RotatingLog.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'opsdeck-log-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RotatingLog', () => {
  it('writes timestamped lines per source, one line per entry', () => {
    const log = new RotatingLog(join(dir, 'logs', 'opsdeck.log'), {
      now: () => new Date('2026-01-02T03:04:05.000Z'),
    });
    log.write('server', 'listening on http://127.0.0.1:1\r\n');
    log.write('main', 'two\nlines');
    log.close();
    expect(readFileSync(log.file, 'utf8')).toBe(
      '2026-01-02T03:04:05.000Z [server] listening on http://127.0.0.1:1\n' +
        '2026-01-02T03:04:05.000Z [main] two lines\n',
    );
  });

  it('rotates at the size cap and keeps a bounded number of files', () => {
    const file = join(dir, 'opsdeck.log');
    const log = new RotatingLog(file, { maxBytes: 200, keep: 2 });
    for (let i = 0; i < 20; i++) {
      log.write('server', `line ${i} ${'x'.repeat(60)}`);
      log.flush();
    }
    log.close();
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    for (const f of [file, `${file}.1`, `${file}.2`]) {
      expect(readFileSync(f).length).toBeLessThanOrEqual(200);
    }
    expect(readFileSync(file, 'utf8')).toContain('line 19');
  });

  it('flushes buffered lines on its own', async () => {
    const log = new RotatingLog(join(dir, 'a.log'), { flushEveryMs: 10 });
    log.write('main', 'hello');
    expect(existsSync(log.file)).toBe(false);
    await vi.waitFor(() => expect(readFileSync(log.file, 'utf8')).toContain('[main] hello'));
    log.close();
    log.write('main', 'after close');
    log.flush();
    expect(readFileSync(log.file, 'utf8')).not.toContain('after close');
  });
});
