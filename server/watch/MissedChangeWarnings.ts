import type { Logger } from '../log.js';
import type { SectionEngine } from '../sections/SectionEngine.js';

export interface MissedChangeWarningsOptions {
  /** The warning: which feed did not announce the change, and what may be wrong. */
  text: string;
  log: Logger;
  /** Further fields of the log line (notify mode: the channel). */
  logFields?: Record<string, unknown>;
  /** Lines for people (standard output of `serve`). */
  notice?: ((line: string) => void) | undefined;
  /** Sets section `id`'s warning again (the feed combines this one with its own). */
  publish: (id: string) => void;
  /** After a section was warned (notify mode verifies its feed again). */
  afterMissed?: (id: string) => void;
}

/**
 * The missed-change warnings of a change feed: when a safety re-check finds a change the feed
 * never announced (the engine's `missed`), that section is warned (logged each time, one line for
 * people the first time) until the feed announces a change of it again.
 */
export class MissedChangeWarnings {
  private readonly warnings = new Map<string, string>();

  constructor(
    private readonly engine: SectionEngine,
    private readonly options: MissedChangeWarningsOptions,
  ) {}

  start(): void {
    this.engine.on('missed', this.onMissed);
  }

  stop(): void {
    this.engine.off('missed', this.onMissed);
  }

  get(id: string): string | undefined {
    return this.warnings.get(id);
  }

  /** The feed reaches section `id` again: a missed change is no longer the last word. */
  announced(id: string): void {
    if (this.warnings.delete(id)) this.options.publish(id);
  }

  private readonly onMissed = (id: string): void => {
    const { text, log, logFields, notice, publish, afterMissed } = this.options;
    log.warn({ section: id, ...logFields }, 'missed change: ' + text);
    if (!this.warnings.has(id)) notice?.(`warning: section ${id}: ${text}`);
    this.warnings.set(id, text);
    publish(id);
    afterMissed?.(id);
  };
}
