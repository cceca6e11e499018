/**
 * zod schemas for the arguments of every IPC channel (common/ipc.ts): the main process refuses
 * anything else. `satisfies` ties each schema to the contract's argument types.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../common/alerts.js';
import { CONNECTION_PHASES } from '../../common/connectionPhase.js';
import {
  PROFILE_ID_PATTERN,
  type AlertsReport,
  type ConnectionReport,
  type InvokeArgs,
  type InvokeChannel,
  type NotificationPrefsPatch,
  type Profile,
} from '../../common/ipc.js';

/** http(s) URL without spaces or control characters; the main process parses it further. */
const HTTP_URL = /^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/i;

export const profileIdSchema = z.string().regex(PROFILE_ID_PATTERN, 'not a profile id');

export const profileSchema = z.object({
  id: profileIdSchema,
  name: z.string().trim().min(1).max(200),
  urls: z.array(z.string().max(2048).regex(HTTP_URL, 'must be an http(s) URL')).min(1).max(32),
  token: z.string().max(4096).optional(),
  builtin: z.boolean().optional(),
}) satisfies z.ZodType<Profile>;

export const connectionReportSchema = z.object({
  phase: z.enum(CONNECTION_PHASES),
  targetName: z.string().max(200).optional(),
  unhealthySections: z
    .array(
      z.object({
        id: z.string().max(100),
        title: z.string().max(500),
        error: z.string().max(2000).optional(),
      }),
    )
    .max(1000),
}) satisfies z.ZodType<ConnectionReport>;

export const alertsReportSchema = z.strictObject({
  loud: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(100),
        section: z.string().min(1).max(100),
        sectionTitle: z.string().max(500),
        severity: z.enum(ALERT_SEVERITIES),
        since: z.iso.datetime({ offset: true }),
        message: z.string().max(2000),
      }),
    )
    .max(1000),
  sound: z.boolean(),
}) satisfies z.ZodType<AlertsReport>;

export const notificationPrefsPatchSchema = z.strictObject({
  connectionLost: z.boolean().optional(),
  sectionUnhealthy: z.boolean().optional(),
}) satisfies z.ZodType<NotificationPrefsPatch>;

/** Argument schemas per channel: the main process rejects anything else. */
export const invokeArgSchemas = {
  'profiles:list': z.tuple([]),
  'profiles:save': z.tuple([profileSchema]),
  'profiles:delete': z.tuple([profileIdSchema]),
  'profiles:get-active': z.tuple([]),
  'profiles:set-active': z.tuple([profileIdSchema]),
  'profiles:storage-warning': z.tuple([]),
  'server:get-state': z.tuple([]),
  'server:restart': z.tuple([]),
  'shell:open-external': z.tuple([z.string().max(2048)]),
  'app:info': z.tuple([]),
  'notifications:get-prefs': z.tuple([]),
  'notifications:set-prefs': z.tuple([notificationPrefsPatchSchema]),
  'connection:report': z.tuple([connectionReportSchema]),
  'connection:probe': z.tuple([z.string().max(2048).regex(HTTP_URL, 'must be an http(s) URL')]),
  'alerts:report': z.tuple([alertsReportSchema]),
} satisfies { [C in InvokeChannel]: z.ZodType<InvokeArgs<C>> };

export const INVOKE_CHANNELS = Object.keys(invokeArgSchemas) as InvokeChannel[];
