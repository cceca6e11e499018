import type { Database } from 'better-sqlite3';
import type { SectionSpec } from '../sections/SectionEngine.js';
import type { SeedHistoryResult } from './seedHistory.js';

export interface HistorySeedingOptions {
  /** The demo's writable connection (schema applied); nothing else writes through it meanwhile. */
  db: Database;
  seed: string | number;
  /** The end of the history, read when seeding starts; defaults to the current time. */
  now?: () => Date;
}

/** Lets timers, I/O and socket events run between two steps of the seeding. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The demo database's 30 days of history, written once the server listens instead of before: the
 * server answers at once (catalog, `$cluster`, /healthz) while the history goes in, in steps of a
 * few milliseconds. Until it is there the demo sections have no rows, so they do not read: their
 * reads wait (the console shows them as waiting for data), /readyz says why it is not ready, and the
 * sales floor has not started. A database that already has its history is ready after one query.
 */
export class HistorySeeding {
  private readonly options: HistorySeedingOptions;
  private state: 'waiting' | 'seeding' | 'ready' | 'failed' = 'waiting';
  private failure: Error | undefined;
  private started: Promise<SeedHistoryResult> | undefined;
  private readonly settled: Promise<void>;
  private settle!: (error?: Error) => void;
  /** Resolves once the history is there; rejects with the reason it could not be written. */
  readonly ready: Promise<void>;

  constructor(options: HistorySeedingOptions) {
    this.options = options;
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    this.ready.catch(() => undefined); // reported by gated reads and readiness, never unhandled
    this.settled = this.ready.catch(() => undefined);
  }

  /** Starts writing the history (once); resolves with what was inserted, or rejects. */
  start(): Promise<SeedHistoryResult> {
    this.started ??= this.run();
    return this.started;
  }

  /** For /readyz: throws while the history is being written, or why it could not be. */
  check(): void {
    if (this.state === 'ready') return;
    if (this.failure) throw this.failure;
    throw new Error('demo database: writing 30 days of sales history');
  }

  /** The same section, whose reads wait until the history is there. */
  gate(spec: SectionSpec): SectionSpec {
    return {
      info: spec.info,
      read: async () => {
        if (this.state !== 'ready') await this.ready;
        return spec.read();
      },
    };
  }

  /** Resolves once seeding is over, whichever way (closing waits for it: it is short). */
  finished(): Promise<void> {
    return this.started ? this.settled : Promise.resolve();
  }

  private async run(): Promise<SeedHistoryResult> {
    this.state = 'seeding';
    try {
      await nextTurn(); // after the caller's own work of this turn (the `listening on` line)
      // Loaded here, not at start-up: the seeder and its order maker are needed only now.
      const { seedHistoryInSteps } = await import('./seedHistory.js');
      const result = await seedHistoryInSteps(this.options.db, {
        seed: this.options.seed,
        now: this.options.now?.() ?? new Date(),
        pause: nextTurn,
      });
      this.state = 'ready';
      this.settle();
      return result;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.failure = new Error(`demo database: the sales history could not be written: ${reason}`, {
        cause: error,
      });
      this.state = 'failed';
      this.settle(this.failure);
      throw this.failure;
    }
  }
}
