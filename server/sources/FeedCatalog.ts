/**
 * What the change-feed verification needs to know of a database's catalog. PostgreSQL implements
 * it (server/sources/postgresCatalog.ts); other databases have no notify feed to verify.
 */

/** A relation as the catalog names it. */
export interface TableRef {
  schema: string;
  name: string;
}

export type RelationKind = 'table' | 'partitioned' | 'view' | 'matview' | 'foreign' | 'other';

export interface RelationInfo extends TableRef {
  kind: RelationKind;
}

/** A user trigger on a table, with the source of the function it runs. */
export interface TriggerInfo {
  name: string;
  /** pg_trigger.tgtype: bit 0 row, 2 INSERT, 3 DELETE, 4 UPDATE, 5 TRUNCATE. */
  type: number;
  /** pg_trigger.tgenabled: 'D' is disabled. */
  enabled: string;
  functionSource: string;
}

export interface FeedCatalog {
  /**
   * The tables a statement reads, from its plan (views expanded, partitions mapped to their
   * partitioned table), without running it.
   */
  planTables(sql: string, timeoutMs: number): Promise<TableRef[]>;
  /** The relation a name refers to (search_path applies), or undefined when there is none. */
  resolve(name: string): Promise<RelationInfo | undefined>;
  triggers(table: TableRef): Promise<TriggerInfo[]>;
  /** Runs SQL in one read-write transaction (only `check --install-triggers` does this). */
  executeInTransaction(sql: string): Promise<void>;
}
