import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postgresBinDir, type TempPostgres } from '../../../testkit/tempPostgres.js';

const run = promisify(execFile);

/** Faults of a private PostgreSQL (testkit/tempPostgres): pause, resume, restart. */
export interface PostgresFaults {
  /** SIGSTOP the postmaster and every backend: connections stay open, nothing answers. */
  pause(): Promise<void>;
  /** SIGCONT every process pause() stopped. */
  resume(): void;
  /** `pg_ctl restart -m fast`: every connection is terminated, the server is back when it resolves. */
  restart(): Promise<void>;
}

export async function postgresFaults(server: TempPostgres): Promise<PostgresFaults> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL binaries');
  const [row] = await server.query("SELECT current_setting('data_directory') AS dir");
  const data = String(row?.['dir']);
  const asRoot = process.getuid?.() === 0;
  let paused: number[] = [];
  return {
    async pause() {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const { stdout } = await run('pgrep', ['-P', String(postmaster)]).catch(() => ({
        stdout: '',
      }));
      // The postmaster first: it forks no new backend while the rest are being stopped.
      paused = [postmaster, ...stdout.split('\n').filter(Boolean).map(Number)];
      for (const pid of paused) process.kill(pid, 'SIGSTOP');
    },
    resume() {
      for (const pid of paused) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // exited meanwhile
        }
      }
      paused = [];
    },
    async restart() {
      // -l: without a log file the server would keep pg_ctl's output pipe (and this call) open.
      const log = join(data, '..', 'postgres.log');
      const args = ['-D', data, '-l', log, '-m', 'fast', '-w', '-t', '60', 'restart'];
      const pgCtl = join(bin, 'pg_ctl');
      await (asRoot ? run('runuser', ['-u', 'postgres', '--', pgCtl, ...args]) : run(pgCtl, args));
    },
  };
}
