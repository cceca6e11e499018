/**
 * Validation of client payloads and identifiers, shared by server and renderer.
 */
import { z } from 'zod';

/** Configured section ids; ids starting with `$` are reserved for built-in sections. */
export const SECTION_ID_PATTERN = /^[a-z0-9_-]{1,64}$/;

/** Any id a client may name: a configured id or a reserved one such as `$cluster`. */
const requestedSectionId = z.string().regex(/^\$?[a-z0-9_-]{1,64}$/, 'not a section id');

/** At most this many sections in one subscribe or unsubscribe. */
export const MAX_SECTIONS_PER_REQUEST = 256;

export const subscribeRequestSchema = z.strictObject({
  sections: z.array(requestedSectionId).min(1).max(MAX_SECTIONS_PER_REQUEST),
  have: z.record(requestedSectionId, z.number().int().nonnegative()).optional(),
});

export const unsubscribeRequestSchema = z.strictObject({
  sections: z.array(requestedSectionId).min(1).max(MAX_SECTIONS_PER_REQUEST),
});

/** One line per problem, naming the path: `sections[0]: not a section id`. */
export function describeIssues(error: z.ZodError, root = ''): string[] {
  return error.issues.map((issue) => `${formatPath(root, issue.path)}: ${issue.message}`);
}

export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}
