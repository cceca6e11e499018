import type { z } from 'zod';
import { describeIssues } from '../../common/schemas.js';

/** Problems named in one `bad_request` message; the rest are counted. */
const MAX_ISSUES_SHOWN = 3;
/** Longest a named problem may be. */
const MAX_ISSUE_CHARS = 200;

/**
 * A client event's payload through its schema, or the `bad_request` message for it: at most
 * three problems, each cut at 200 characters, and how many more there were (a payload of
 * thousands of bad ids is one problem repeated). Binary data (a Buffer, an ArrayBuffer, a typed
 * array) is said to be binary, not taken apart key by key.
 */
export function parsePayload<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  if (payload instanceof ArrayBuffer || ArrayBuffer.isView(payload)) {
    return { ok: false, message: 'payload: expected an object, received binary data' };
  }
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  const issues = describeIssues(result.error, 'payload');
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((line) => line.slice(0, MAX_ISSUE_CHARS));
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  return { ok: false, message: shown.join('; ') };
}
