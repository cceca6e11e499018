/**
 * `observability:` of the configuration file (docs/config.md): the official Socket.IO Admin UI.
 */
import { z } from 'zod';

/** A bcrypt hash as bcrypt, bcryptjs and `htpasswd -B` write it: $2a$, $2b$ or $2y$, cost, 53 characters. */
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

const HASH_HELP =
  'must be a bcrypt hash ($2b$10$ and 53 more characters), not the password itself; make one with ' +
  `node -e "console.log(require('bcryptjs').hashSync(process.argv[1], 12))" 'PASSWORD'`;

const booleanText = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean(),
);

export const adminUiSchema = z
  .strictObject({
    enabled: booleanText.default(false),
    username: z.string().trim().min(1, 'required').max(128).optional(),
    passwordHash: z.string().trim().regex(BCRYPT_HASH, HASH_HELP).optional(),
    /** Watch only (the default): the Admin UI cannot emit, join, leave or disconnect sockets. */
    readonly: booleanText.default(true),
  })
  .superRefine((ui, ctx) => {
    if (!ui.enabled) return;
    for (const key of ['username', 'passwordHash'] as const) {
      if (ui[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'required when enabled is true' });
      }
    }
  });

export const observabilitySchema = z.strictObject({ adminUi: adminUiSchema.optional() });

/** The Admin UI's settings when the file enables it (the schema made sure both are there). */
export function adminUiSettings(config: {
  observability?: { adminUi?: z.output<typeof adminUiSchema> | undefined } | undefined;
}): { username: string; passwordHash: string; readonly: boolean } | undefined {
  const ui = config.observability?.adminUi;
  if (!ui?.enabled || ui.username === undefined || ui.passwordHash === undefined) return undefined;
  return { username: ui.username, passwordHash: ui.passwordHash, readonly: ui.readonly };
}
