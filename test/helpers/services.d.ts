/**
 * The real services tests run against (DESIGN.md, "Testing on these machines"): PostgreSQL and
 * MariaDB on their default local ports, Redis too. Every test database is created fresh under a
 * random name and dropped afterwards, so parallel runs never collide.
 */
export type ServiceName = 'postgres' | 'mysql' | 'redis';
export type Availability =
  | {
      ok: true;
    }
  | {
      ok: false;
      reason: string;
    };
/** Runs one SQL statement (with optional parameters) and returns its rows. */
export type AdminQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
export interface TestDatabase {
  name: string;
  /** URL for the code under test: no password (trust / empty password). */
  url: string;
  /** A superuser connection to the new database, for setting up tables and making changes. */
  admin: AdminQuery;
  /** Closes admin, ends every other connection to the database and drops it. */
  drop(): Promise<void>;
}
/** True when running in CI, where a missing service must fail the run instead of skipping. */
export declare function inCi(): boolean;
export declare function createPostgresDatabase(): Promise<TestDatabase>;
export declare function createMysqlDatabase(): Promise<TestDatabase>;
/** Whether a service answers on its default local port (memoised per process). */
export declare function serviceAvailable(name: ServiceName): Promise<Availability>;
/**
 * A describe block that needs a real service. Where the service is missing the suite is skipped
 * with the reason printed, except in CI, where this throws so the test file fails: CI machines
 * have every service, so a missing one is a broken machine, not a reason to pass.
 * Use with top-level await: `await describeWithService('postgres', 'title', () => { ... })`.
 */
export declare function describeWithService(
  name: ServiceName,
  title: string,
  fn: () => void,
): Promise<void>;
