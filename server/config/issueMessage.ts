import type { z } from 'zod';
import { nearestKey } from './nearestKey.js';

/** What a value is, in the words of the configuration file (YAML). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'nothing';
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

/**
 * One schema problem in plain words, with the value given where it helps: `expected a whole
 * number, got 1.5`, `must be at least 100, got -1000`, `"notfy" is not one of poll, notify,
 * logical, binlog; did you mean "notify"?`. Messages a schema wrote itself are kept as they are.
 */
export function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return `expected ${expected}, got ${kindOf(value)}`;
    }
    case 'too_small':
    case 'too_big': {
      if (!/^Too (small|big):/.test(issue.message)) return issue.message;
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const words =
        issue.code === 'too_small'
          ? inclusive
            ? 'at least'
            : 'greater than'
          : inclusive
            ? 'at most'
            : 'less than';
      const unit =
        issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
      return `must be ${words} ${String(bound)}${unit}, got ${kindOf(value)}`;
    }
    case 'invalid_value': {
      if (!/^Invalid (option|input)/.test(issue.message)) return issue.message;
      const options = issue.values.map(String);
      const near = typeof value === 'string' ? nearestKey(value, options) : undefined;
      return `${kindOf(value)} is not one of ${options.join(', ')}${near ? `; did you mean "${near}"?` : ''}`;
    }
    default:
      return issue.message;
  }
}
