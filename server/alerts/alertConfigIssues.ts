import type { AlertRule, DashboardInfo } from '../../common/alerts.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import { parseDuration } from './parseDuration.js';
import { parseWhen, WHEN_GRAMMAR } from './parseWhen.js';

export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/**
 * What is wrong with the `alerts:` and `dashboards:` of a configuration whose shapes are valid:
 * duplicate ids, unknown sections, a `when` or `for` that does not parse. One issue per problem,
 * with its key path (server/config/configSchema.ts reports them as configuration errors).
 */
export function alertConfigIssues(
  sectionIds: readonly string[],
  alerts: readonly AlertRule[] = [],
  dashboards: readonly DashboardInfo[] = [],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const known = new Set(sectionIds);
  const unknown = (id: string) =>
    `unknown section "${id}" (the sections are ${sectionIds.join(', ')})`;
  duplicates(alerts, 'alerts', issues);
  alerts.forEach((rule, index) => {
    if (!known.has(rule.section)) {
      issues.push({ path: ['alerts', index, 'section'], message: unknown(rule.section) });
    }
    if (!parseWhen(rule.when)) {
      issues.push({
        path: ['alerts', index, 'when'],
        message: `"${rule.when}" is not ${WHEN_GRAMMAR}`,
      });
    }
    if (rule.for !== undefined && parseDuration(rule.for) === undefined) {
      issues.push({
        path: ['alerts', index, 'for'],
        message: `"${rule.for}" is not a duration such as 20s, 2m or 1h (at most a week)`,
      });
    }
  });
  duplicates(dashboards, 'dashboards', issues);
  dashboards.forEach((dashboard, index) => {
    const seen = new Set<string>();
    dashboard.sections.forEach((id, at) => {
      const path = ['dashboards', index, 'sections', at];
      if (!known.has(id) && id !== CLUSTER_SECTION_ID) issues.push({ path, message: unknown(id) });
      else if (seen.has(id)) issues.push({ path, message: `"${id}" is listed twice` });
      seen.add(id);
    });
  });
  return issues;
}

function duplicates(
  items: readonly { id: string }[],
  key: 'alerts' | 'dashboards',
  issues: ConfigIssue[],
): void {
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    const at = first.get(item.id);
    if (at === undefined) first.set(item.id, index);
    else {
      issues.push({
        path: [key, index, 'id'],
        message: `duplicate id "${item.id}" (also ${key}[${at}])`,
      });
    }
  });
}
