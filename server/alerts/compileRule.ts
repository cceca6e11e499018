import type { AlertRule, AlertRuleInfo } from '../../common/alerts.js';
import { parseDuration } from './parseDuration.js';
import { parseWhen, type AlertCondition } from './parseWhen.js';

/** A rule ready to evaluate: its parsed condition, `for:` in ms and its message template. */
export interface CompiledRule {
  /** What the catalog lists. */
  info: AlertRuleInfo;
  condition: AlertCondition;
  forMs: number;
  /** `{name}` placeholders: the matching row's columns, `section`, `value`, `error` (failing). */
  template: string;
}

/**
 * Parses a rule the configuration schema has accepted (so its `when` and `for` parse; a rule that
 * does not throws, naming it).
 */
export function compileRule(rule: AlertRule): CompiledRule {
  const condition = parseWhen(rule.when);
  const forMs = rule.for === undefined ? 0 : parseDuration(rule.for);
  if (condition === undefined || forMs === undefined) {
    throw new Error(`alert ${rule.id}: not a valid rule (when: ${rule.when}, for: ${rule.for})`);
  }
  const info: AlertRuleInfo = {
    id: rule.id,
    section: rule.section,
    when: rule.when,
    ...(rule.for === undefined ? {} : { for: rule.for }),
    severity: rule.severity,
  };
  return { info, condition, forMs, template: rule.message ?? defaultMessage(rule, condition) };
}

function defaultMessage(rule: AlertRule, condition: AlertCondition): string {
  switch (condition.kind) {
    case 'threshold':
      return `${rule.section}: ${condition.column} is {value} (${condition.op} ${condition.threshold})`;
    case 'stale':
      return `${rule.section} has not changed for ${rule.when.replace(/^\s*no change for\s+/, '')}`;
    case 'failing':
      return `${rule.section} is failing: {error}`;
  }
}
