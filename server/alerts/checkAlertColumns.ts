import type { AlertRule } from '../../common/alerts.js';
import type { Column } from '../../common/protocol.js';
import { placeholders } from './fillMessage.js';
import { parseWhen } from './parseWhen.js';

export interface AlertCheckLine {
  id: string;
  ok: boolean;
  /** For people: what was checked, or what is wrong and how to fix it. */
  text: string;
}

/**
 * `opsdeck check`'s verdict on each rule against the columns its section's query returned (`columns`
 * holds the sections that ran; a rule on one that failed is reported as not checked, and fails).
 * A `<column> <op> <number>` rule needs the column (a column that is not a number gets a warning:
 * only numeric values can match); every `{name}` of its message must be a column, `section` or
 * `value`; other rules' messages may name `section` (and `error`, on `failing`).
 */
export function checkAlertColumns(
  rules: readonly AlertRule[],
  columns: ReadonlyMap<string, readonly Column[]>,
): AlertCheckLine[] {
  return rules.map((rule) => {
    const condition = parseWhen(rule.when);
    const cols = columns.get(rule.section);
    if (!condition) return { id: rule.id, ok: false, text: `when "${rule.when}" does not parse` };
    if (!cols) {
      return { id: rule.id, ok: false, text: `not checked: section ${rule.section} failed` };
    }
    const names = cols.map((c) => c.name);
    const problems: string[] = [];
    const notes: string[] = [];
    if (condition.kind === 'threshold') {
      const column = cols.find((c) => c.name === condition.column);
      if (!column) {
        problems.push(`${rule.section} has no column "${condition.column}"${near(names)}`);
      } else if (column.type !== 'number') {
        notes.push(`warning: ${condition.column} is ${column.type}, only numeric values can match`);
      }
    }
    // What a message may name: the matching row's columns (threshold rules), and what each kind adds.
    const provided =
      condition.kind === 'threshold'
        ? [...names, 'section', 'value']
        : condition.kind === 'failing'
          ? ['section', 'error']
          : ['section'];
    const unknown = placeholders(rule.message ?? '').filter((p) => !provided.includes(p));
    if (unknown.length > 0) {
      const list = unknown.map((p) => `{${p}}`).join(', ');
      problems.push(
        condition.kind === 'threshold'
          ? `message: ${list} is not a column of ${rule.section}${near(names)}`
          : `message: ${list}: a "${rule.when}" message may name only ${provided.map((p) => `{${p}}`).join(', ')}`,
      );
    }
    if (problems.length > 0) return { id: rule.id, ok: false, text: problems.join('; ') };
    return {
      id: rule.id,
      ok: true,
      text: [`${rule.when} on ${rule.section}`, ...notes].join('; '),
    };
  });
}

function near(names: readonly string[]): string {
  return names.length === 0 ? ' (it returns no columns)' : ` (its columns: ${names.join(', ')})`;
}
