/**
 * The main process's events, checked on arrival (the other direction of the IPC validation that
 * main/ipc/argSchemas.ts does): a malformed payload is dropped, never acted upon.
 */
import { z } from 'zod';
import type { AlertFocus, WakeSignal } from '../../common/ipc.js';

const alertFocusSchema = z.strictObject({
  id: z.string().min(1).max(100),
  section: z.string().min(1).max(100),
}) satisfies z.ZodType<AlertFocus>;

const wakeSignalSchema = z.strictObject({
  reason: z.enum(['resume', 'unlock-screen', 'network']),
}) satisfies z.ZodType<WakeSignal>;

/** The payload of `alerts:focus`, or undefined when it is not one. */
export function checkedAlertFocus(value: unknown): AlertFocus | undefined {
  const parsed = alertFocusSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The payload of `connection:wake`, or undefined when it is not one. */
export function checkedWakeSignal(value: unknown): WakeSignal | undefined {
  const parsed = wakeSignalSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
