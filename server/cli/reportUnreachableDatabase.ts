import type { Logger } from '../log.js';
import { errorText } from '../sections/errorText.js';
import type { DataSource } from '../sources/DataSource.js';

export interface UnreachableReport {
  /**
   * A section started failing: find out whether the database itself is gone. `ifAnswering` runs
   * once the database answered that ping: the failure is the section's own.
   */
  suspect(ifAnswering?: () => void): void;
  stop(): void;
}

/** How often a database that does not answer is tried again. */
export const START_RETRY_MS = 5000;

/**
 * Tells people in one plain line when the database does not answer, at start or later (the JSON
 * logs say it too, but people read standard output), keeps trying every few seconds, and says
 * when it answers; then the failing sections retry at once instead of waiting out their backoff.
 *
 * After start it probes only when told a section failed (`suspect`): one ping when the database
 * answers (a section's own SQL is wrong), one every `retryMs` while it does not.
 */
export function reportUnreachableDatabase(
  source: DataSource,
  options: {
    timeoutMs: number;
    say: (line: string) => void;
    onReachable: () => void;
    log: Logger;
    retryMs?: number;
  },
): UnreachableReport {
  const retryMs = options.retryMs ?? START_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** A ping is in flight or scheduled. */
  let probing = false;
  /** "unreachable" was said, "reachable" not yet. */
  let down = false;
  /** Run when a ping in flight succeeds (dropped when it fails: the database is the cause). */
  let waiting: (() => void)[] = [];

  const attempt = async (): Promise<void> => {
    probing = true;
    try {
      await source.ping(options.timeoutMs);
      probing = false;
      const answered = waiting;
      waiting = [];
      if (stopped) return;
      if (down) {
        down = false;
        options.say(`database reachable: ${source.description}`);
        options.onReachable();
      } else for (const run of answered) run();
      return;
    } catch (error) {
      if (!down && !stopped) {
        down = true;
        const reason = errorText(error).split('\n')[0] ?? 'no answer';
        const what = refusesLogin(error)
          ? 'database refuses the login (check the user, password and database name in database.url)'
          : 'database unreachable';
        options.say(
          `${what}: ${source.description}: ${reason}; retrying every ${retryMs / 1000} s (the sections show as failing until it answers)`,
        );
      }
      options.log.debug({ err: errorText(error) }, 'database still unreachable');
      waiting = [];
    }
    if (stopped) return;
    timer = setTimeout(() => void attempt(), retryMs);
    timer.unref();
  };
  void attempt();

  return {
    suspect(ifAnswering) {
      if (stopped) return;
      // While the database is known down, its absence explains the failure: nothing to add.
      if (ifAnswering && !down) waiting.push(ifAnswering);
      if (!probing) void attempt();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * The database answered, and said no: a wrong password or user (PostgreSQL SQLSTATE class 28,
 * MySQL/MariaDB 1044/1045), a database that does not exist (3D000, 1049). Retrying cannot fix
 * those; the configuration can.
 */
function refusesLogin(error: unknown): boolean {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  if (typeof code === 'string' && (code.startsWith('28') || code === '3D000')) return true;
  return errno === 1044 || errno === 1045 || errno === 1049;
}
