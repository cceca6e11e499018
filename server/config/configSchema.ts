/**
 * The configuration file (docs/config.md) as a zod schema. Unknown keys are errors.
 */
import { z } from 'zod';
import {
  alertRuleSchema,
  dashboardSchema,
  SECTION_ID_PATTERN,
  viewSpecSchema,
} from '../../common/schemas.js';
import { alertConfigIssues } from '../alerts/alertConfigIssues.js';
import { clusterSchema } from './clusterSchema.js';
import { databaseUrlProblem } from './databaseUrlProblem.js';
import { observabilitySchema } from './observabilitySchema.js';
import { findSecondStatement } from '../sources/singleStatement.js';

const sqlText = z
  .string()
  .trim()
  .min(1, 'required')
  .superRefine((sql, ctx) => {
    const at = findSecondStatement(sql);
    if (at !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `only one statement is allowed (a second one starts at character ${at + 1})`,
      });
    }
  });

/**
 * Numbers and booleans written as text read as themselves, so that `port: ${PORT}` works: an
 * environment variable is always text (substitution happens after YAML parsing, see
 * substituteEnv.ts). Anything else is left for the schema to refuse with its own message.
 */
const numberText = (schema: z.ZodNumber) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    schema,
  );
const booleanText = (schema: z.ZodBoolean) =>
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), schema);

const positiveMs = numberText(z.number().int().positive());

export const sectionSchema = z.strictObject({
  id: z
    .string()
    .regex(SECTION_ID_PATTERN, 'must match [a-z0-9_-]{1,64} (ids starting with $ are reserved)'),
  title: z.string().min(1),
  view: viewSpecSchema,
  sql: sqlText,
  // Optional: without it, notify mode derives the tables from the query's plan.
  tables: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_$.]*$/, 'not a table name'))
    .min(1, 'list at least one table, or remove tables: to derive them from the query')
    .optional(),
  probe: sqlText.optional(),
  intervalMs: numberText(z.number().int().min(100)).optional(),
  // Let clients see this section's SQL (Inspect, evidence files); unset: the top-level showSql.
  showSql: booleanText(z.boolean()).optional(),
});

export const configSchema = z
  .strictObject({
    listen: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: numberText(z.number().int().min(0).max(65535)).default(3001),
        tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
        allowedOrigins: z.array(z.string().min(1)).optional(),
      })
      .prefault({}),
    auth: z
      .strictObject({
        tokens: z.array(z.string().min(8, 'tokens must be at least 8 characters')).optional(),
        allowAnonymous: booleanText(z.boolean()).default(false),
      })
      .prefault({}),
    database: z.strictObject({
      url: z
        .string()
        .regex(
          /^(postgres|postgresql|mysql|mariadb):\/\/|^sqlite:/,
          'must start with postgres://, postgresql://, mysql://, mariadb:// or sqlite:',
        )
        .superRefine((url, ctx) => {
          const problem = databaseUrlProblem(url);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      pool: numberText(z.number().int().min(1).max(100)).default(5),
      statementTimeoutMs: positiveMs.default(5000),
      maxRows: numberText(z.number().int().min(1).max(1_000_000)).default(5000),
    }),
    watch: z
      .strictObject({
        mode: z.enum(['poll', 'notify', 'logical', 'binlog']).default('poll'),
        intervalMs: numberText(z.number().int().min(100)).optional(),
        channel: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
          .default('opsdeck_changes'),
        // logical mode: publication and slot names (default opsdeck_<cluster.name>), lag limit
        publication: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
          .optional(),
        slot: z
          .string()
          .regex(/^[a-z0-9_]{1,63}$/, 'lower-case letters, digits and _ (at most 63)')
          .optional(),
        maxLagBytes: numberText(z.number().int().positive()).default(1024 ** 3),
      })
      .prefault({}),
    cluster: clusterSchema.optional(),
    // Let clients see every section's SQL (a section's own showSql wins); off: SQL shows schema.
    showSql: booleanText(z.boolean()).default(false),
    sections: z.array(sectionSchema).min(1, 'at least one section is required'),
    alerts: z.array(alertRuleSchema).optional(),
    dashboards: z.array(dashboardSchema).min(1).optional(),
    observability: observabilitySchema.optional(),
  })
  .superRefine((config, ctx) => {
    const ids = config.sections.map((s) => s.id);
    for (const issue of alertConfigIssues(ids, config.alerts, config.dashboards)) {
      ctx.addIssue({ code: 'custom', ...issue });
    }
    const seen = new Map<string, number>();
    config.sections.forEach((section, index) => {
      const first = seen.get(section.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', index, 'id'],
          message: `duplicate id "${section.id}" (also sections[${first}])`,
        });
      } else seen.set(section.id, index);
    });
    const mode = config.watch.mode;
    const postgres = /^postgres(ql)?:\/\//.test(config.database.url);
    const mysql = /^(mysql|mariadb):\/\//.test(config.database.url);
    if ((mode === 'notify' || mode === 'logical') && !postgres) {
      ctx.addIssue({
        code: 'custom',
        path: ['watch', 'mode'],
        message: `${mode} mode needs a postgres:// database (use poll${mysql ? ' or binlog' : ''})`,
      });
    }
    if (mode === 'binlog' && !mysql) {
      ctx.addIssue({
        code: 'custom',
        path: ['watch', 'mode'],
        message: `binlog mode needs a mysql:// or mariadb:// database (use poll${postgres ? ', notify or logical' : ''})`,
      });
    }
  });

export type OpsdeckConfig = z.output<typeof configSchema>;
export type SectionConfig = z.output<typeof sectionSchema>;
