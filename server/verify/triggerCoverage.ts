import type { TriggerInfo } from '../sources/FeedCatalog.js';

export type ChangeEvent = 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';

/** The events a notify trigger must fire on; TRUNCATE is welcome but not required. */
export const REQUIRED_EVENTS: readonly ChangeEvent[] = ['INSERT', 'UPDATE', 'DELETE'];

const EVENT_BITS: Record<ChangeEvent, number> = { INSERT: 4, DELETE: 8, UPDATE: 16, TRUNCATE: 32 };

export interface TriggerCoverage {
  /** Enabled triggers whose function notifies the channel with the table name. */
  notifying: string[];
  /** Events none of them fires on (of REQUIRED_EVENTS). */
  missingEvents: ChangeEvent[];
  /** Triggers that notify the channel with some other payload (Opsdeck would ignore them). */
  wrongPayload: string[];
  /** Triggers that would notify the channel but are disabled. */
  disabled: string[];
}

/**
 * Which of a table's triggers tell Opsdeck about its changes: the function calls
 * `pg_notify('<channel>', ...)` (or `NOTIFY <channel>`) with the table name as the payload
 * (TG_TABLE_NAME or the name written out), on which events, and which are disabled.
 */
export function triggerCoverage(
  triggers: readonly TriggerInfo[],
  channel: string,
  table: string,
): TriggerCoverage {
  const coverage: TriggerCoverage = {
    notifying: [],
    missingEvents: [],
    wrongPayload: [],
    disabled: [],
  };
  let events = 0;
  for (const trigger of triggers) {
    const source = trigger.functionSource;
    if (!notifiesChannel(source, channel)) continue;
    if (trigger.enabled === 'D') {
      coverage.disabled.push(trigger.name);
      continue;
    }
    if (!payloadIsTableName(source, table)) {
      coverage.wrongPayload.push(trigger.name);
      continue;
    }
    coverage.notifying.push(trigger.name);
    events |= trigger.type;
  }
  coverage.missingEvents = REQUIRED_EVENTS.filter((e) => (events & EVENT_BITS[e]) === 0);
  return coverage;
}

function notifiesChannel(source: string, channel: string): boolean {
  const quoted = escapeRegExp(channel);
  return (
    new RegExp(`pg_notify\\s*\\(\\s*'${quoted}'`, 'i').test(source) ||
    new RegExp(`\\bnotify\\s+"?${quoted}"?(\\s|,|;|$)`, 'i').test(source)
  );
}

function payloadIsTableName(source: string, table: string): boolean {
  return /\bTG_TABLE_NAME\b/i.test(source) || source.includes(`'${table}'`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
