import type { SectionInfo } from '../../common/protocol.js';
import type { Metrics } from '../metrics/Metrics.js';
import type { DataSource, QueryOptions, QueryResult } from '../sources/DataSource.js';
import type { SectionSpec } from './SectionEngine.js';

export interface SqlSectionInput {
  info: SectionInfo;
  sql: string;
  probe?: string;
}

/** A configured section whose rows come from its SQL; every run is counted as a query. */
export function sqlSection(
  input: SqlSectionInput,
  source: DataSource,
  limits: QueryOptions,
  metrics: Metrics,
): SectionSpec {
  return {
    info: input.info,
    read(): Promise<QueryResult> {
      metrics.sectionQueries.inc({ section: input.info.id });
      return source.query(input.sql, limits);
    },
    ...(source.settled ? { settled: () => source.settled?.() ?? Promise.resolve() } : {}),
  };
}

/** The probe of a poll-mode section, counted apart from section queries. */
export function sqlProbe(
  id: string,
  probe: string,
  source: DataSource,
  limits: QueryOptions,
  metrics: Metrics,
): () => Promise<QueryResult> {
  return () => {
    metrics.probeQueries.inc({ section: id });
    return source.query(probe, { timeoutMs: limits.timeoutMs, maxRows: 100 });
  };
}
