import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingLogOptions {
  /** Rotate when the file would grow past this size. */
  maxBytes?: number;
  /** Rotated files kept: `opsdeck.log.1` (newest) .. `opsdeck.log.<keep>`. */
  keep?: number;
  /** Lines are buffered and written this often (and on flush/close). */
  flushEveryMs?: number;
  now?: () => Date;
}

/**
 * The app's log file (logs/opsdeck.log in the user-data folder): the embedded server's output and
 * the main process's own events, one timestamped line each, size-capped by rotation. Lines are
 * buffered briefly so a chatty child never turns into one disk write per line.
 */
export class RotatingLog {
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly flushEveryMs: number;
  private readonly now: () => Date;
  private buffer: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private size: number;
  private closed = false;

  constructor(
    readonly file: string,
    options: RotatingLogOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keep = Math.max(1, options.keep ?? 3);
    this.flushEveryMs = options.flushEveryMs ?? 250;
    this.now = options.now ?? (() => new Date());
    mkdirSync(dirname(file), { recursive: true });
    this.size = existsSync(file) ? statSync(file).size : 0;
  }

  /** One line from `source` (`main`, `server`, `server:stderr`, ...). */
  write(source: string, line: string): void {
    if (this.closed) return;
    const clean = line.replace(/[\r\n]+/g, ' ').trimEnd();
    this.buffer.push(`${this.now().toISOString()} [${source}] ${clean}\n`);
    this.timer ??= setTimeout(() => this.flush(), this.flushEveryMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    const bytes = Buffer.byteLength(chunk);
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.file, chunk, { mode: 0o600 });
      this.size += bytes;
    } catch (error) {
      // Logging must never take the app down; say so on stderr instead.
      process.stderr.write(`opsdeck: cannot write ${this.file}: ${String(error)}\n`);
    }
  }

  close(): void {
    this.flush();
    this.closed = true;
  }

  private rotate(): void {
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    renameSync(this.file, `${this.file}.1`);
    this.size = 0;
  }
}
