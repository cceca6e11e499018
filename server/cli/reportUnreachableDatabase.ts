import type { Logger } from '../log.js';
import { errorText } from '../sections/errorText.js';
import type { DataSource } from '../sources/DataSource.js';

export interface UnreachableReport {
  stop(): void;
}

/** How often a database that did not answer at start is tried again. */
export const START_RETRY_MS = 5000;

/**
 * At start, tells people in one plain line when the database does not answer (the JSON logs say
 * it too, but people read standard output), keeps trying every few seconds, and says when it
 * answers; then the failing sections retry at once instead of waiting out their backoff.
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

  const attempt = async (first: boolean): Promise<void> => {
    try {
      await source.ping(options.timeoutMs);
      if (!first) {
        options.say(`database reachable: ${source.description}`);
        options.onReachable();
      }
      return;
    } catch (error) {
      if (first) {
        const reason = errorText(error).split('\n')[0] ?? 'no answer';
        options.say(
          `database unreachable: ${source.description}: ${reason}; retrying every ${retryMs / 1000} s (the sections show as failing until it answers)`,
        );
      }
      options.log.debug({ err: errorText(error) }, 'database still unreachable');
    }
    if (stopped) return;
    timer = setTimeout(() => void attempt(false), retryMs);
    timer.unref();
  };
  void attempt(true);

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
