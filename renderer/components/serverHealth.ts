import type { ConnectionState, SectionsState } from '../live/state.js';

export interface ServerHealth {
  /** Connected, but something is wrong: the header must not say a plain green "Connected". */
  degraded: boolean;
  /** Sections whose query fails, of how many. */
  failing: number;
  /** Sections that work but whose change feed cannot be trusted (section-status `warning`). */
  warned: number;
  total: number;
  /** The header's words, e.g. "Degraded · 2 of 4 sections failing". */
  words: string;
  /** The same for a phone's header, e.g. "Degraded · 2 of 4 failing". */
  short: string;
  /** The details, for a tooltip. */
  title?: string;
}

/**
 * Whether a connected server is healthy: degraded when any section's query fails, when a
 * section's change feed cannot be trusted (its updates may come late), or when the server says it
 * is degraded (`server-status`, e.g. its database or Redis does not answer).
 */
export function serverHealth(connection: ConnectionState, sections: SectionsState): ServerHealth {
  const total = sections.order.length;
  const failingIds = sections.order.filter((id) => sections.byId[id]?.status?.healthy === false);
  const failing = failingIds.length;
  const warnedIds = sections.order.filter((id) => {
    const status = sections.byId[id]?.status;
    return status?.healthy !== false && status?.warning !== undefined;
  });
  const warned = warnedIds.length;
  const connected = connection.phase === 'connected';
  const degraded = connected && (failing > 0 || warned > 0 || connection.degraded !== undefined);
  if (!degraded) {
    return { degraded: false, failing, warned, total, words: 'Connected', short: 'Connected' };
  }
  const parts = ['Degraded'];
  const shortParts = ['Degraded'];
  if (failing > 0) {
    parts.push(`${failing} of ${total} ${total === 1 ? 'section' : 'sections'} failing`);
    shortParts.push(`${failing} of ${total} failing`);
  } else if (connection.degraded) {
    parts.push(connection.degraded);
    shortParts.push(connection.degraded);
  } else {
    parts.push(`${warned} of ${total} ${total === 1 ? 'section' : 'sections'} may be late`);
    shortParts.push(`${warned} of ${total} may be late`);
  }
  const titles: string[] = [];
  if (connection.degraded) titles.push(`Server: ${connection.degraded}`);
  if (failing > 0) {
    const names = failingIds.map((id) => sections.byId[id]?.info.title ?? id);
    titles.push(`Failing: ${names.join(', ')}`);
  }
  if (warned > 0) {
    const names = warnedIds.map((id) => sections.byId[id]?.info.title ?? id);
    titles.push(`Change feed not trusted (updates may be late): ${names.join(', ')}`);
  }
  return {
    degraded,
    failing,
    warned,
    total,
    words: parts.join(' · '),
    short: shortParts.join(' · '),
    title: titles.join('\n'),
  };
}
