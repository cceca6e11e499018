/**
 * Validation of client payloads and identifiers, shared by server and renderer. Each schema is
 * tied to its protocol type with `satisfies` (and pinned exactly in test/types/schemas.typetest.ts).
 */
import { z } from 'zod';
import {
  ALERT_ID_PATTERN,
  ALERT_SEVERITIES,
  type AlertRule,
  type DashboardInfo,
} from './alerts.js';
import type { ClientsRequest } from './clients.js';
import {
  VIEW_TYPES,
  type SubscribeRequest,
  type UnsubscribeRequest,
  type VerifyRequest,
  type ViewSpec,
} from './protocol.js';

/** Configured section ids; ids starting with `$` are reserved for built-in sections. */
export const SECTION_ID_PATTERN = /^[a-z0-9_-]{1,64}$/;

/** Any id a client may name: a configured id or a reserved one such as `$cluster`. */
const requestedSectionId = z.string().regex(/^\$?[a-z0-9_-]{1,64}$/, 'not a section id');

/** At most this many sections in one subscribe or unsubscribe. */
export const MAX_SECTIONS_PER_REQUEST = 256;

const requestedSections = z
  .array(requestedSectionId)
  .min(1, 'list at least one section')
  .max(
    MAX_SECTIONS_PER_REQUEST,
    `too many sections: at most ${MAX_SECTIONS_PER_REQUEST} in one request`,
  );

export const subscribeRequestSchema = z.strictObject({
  sections: requestedSections,
  have: z.record(requestedSectionId, z.number().int().nonnegative()).optional(),
}) satisfies z.ZodType<SubscribeRequest>;

export const unsubscribeRequestSchema = z.strictObject({
  sections: requestedSections,
}) satisfies z.ZodType<UnsubscribeRequest>;

export const verifyRequestSchema = z.strictObject({
  section: requestedSectionId,
  version: z.number().int().positive(),
  hash: z.string().min(1).max(128),
}) satisfies z.ZodType<VerifyRequest>;

/** A `clients` request; a `pageSize` over CLIENTS_MAX_PAGE_SIZE is cut by the server, not refused. */
export const clientsRequestSchema = z.strictObject({
  page: z.number().int().min(1).max(1_000_000).optional(),
  pageSize: z.number().int().min(1).max(1_000_000).optional(),
  node: z.string().min(1).max(128).optional(),
}) satisfies z.ZodType<ClientsRequest>;

/** A section's `view` in the configuration file (server/config/configSchema.ts). */
export const viewSpecSchema = z.strictObject({
  type: z.enum(VIEW_TYPES),
  x: z.string().min(1).optional(),
  y: z.array(z.string().min(1)).min(1).optional(),
  y2: z.array(z.string().min(1)).min(1).optional(),
  key: z.string().min(1).optional(),
}) satisfies z.ZodType<ViewSpec>;

/**
 * An alert rule in the configuration file: its shape only. The `when` and `for` grammars and the
 * references to sections are checked by server/config/configSchema.ts (server/alerts/parseWhen.ts).
 */
export const alertRuleSchema = z.strictObject({
  id: z.string().regex(ALERT_ID_PATTERN, 'must match [a-z0-9_-]{1,64}'),
  section: z.string().min(1),
  when: z.string().trim().min(1, 'required'),
  for: z.string().trim().min(1).optional(),
  severity: z.enum(ALERT_SEVERITIES, 'must be info, warning or critical').default('warning'),
  message: z.string().min(1).optional(),
}) satisfies z.ZodType<AlertRule>;

/** A dashboard (a named page of sections) in the configuration file. */
export const dashboardSchema = z.strictObject({
  id: z.string().regex(ALERT_ID_PATTERN, 'must match [a-z0-9_-]{1,64}'),
  title: z.string().min(1),
  sections: z.array(z.string().min(1)).min(1, 'list at least one section'),
}) satisfies z.ZodType<DashboardInfo>;

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
