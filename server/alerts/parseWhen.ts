import { parseDuration } from './parseDuration.js';

export const COMPARISONS = ['>', '>=', '<', '<=', '==', '!='] as const;

export type Comparison = (typeof COMPARISONS)[number];

/** What a rule's `when:` asks, parsed. */
export type AlertCondition =
  | { kind: 'threshold'; column: string; op: Comparison; threshold: number }
  /** The section's version has not changed for `ms`. */
  | { kind: 'stale'; ms: number }
  /** The section's query fails. */
  | { kind: 'failing' };

/** The grammar, as configuration errors state it. */
export const WHEN_GRAMMAR = '<column> <op> <number>, "no change for <duration>" or "failing"';

const THRESHOLD = /^([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)$/;
const STALE = /^no change for\s+(\S+)$/;

/**
 * `open_orders > 50`, `no change for 30m` or `failing`; undefined for anything else (including a
 * stale rule whose duration does not parse).
 */
export function parseWhen(text: string): AlertCondition | undefined {
  const when = text.trim().replace(/\s+/g, ' ');
  if (when === 'failing') return { kind: 'failing' };
  const stale = STALE.exec(when);
  if (stale) {
    const ms = parseDuration(stale[1] ?? '');
    return ms === undefined ? undefined : { kind: 'stale', ms };
  }
  const match = THRESHOLD.exec(when);
  if (!match) return undefined;
  const [, column = '', op = '', threshold = ''] = match;
  return { kind: 'threshold', column, op: op as Comparison, threshold: Number(threshold) };
}

/** Does `value op threshold` hold? */
export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
