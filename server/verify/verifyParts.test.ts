import { describe, expect, it } from 'vitest';
import { notifyTriggerSql, quoteIdent, tableSql } from '../config/notifyTriggerSql.js';
import { errorText } from '../sections/errorText.js';
import { NotifyRoutes } from '../watch/NotifyRoutes.js';
import { planTables } from './planTables.js';
import { triggerCoverage } from './triggerCoverage.js';
import { formatPeriod } from './verifyNotifyFeed.js';

describe('planTables', () => {
  it('collects every relation of a plan, through sub-plans, once, with its schema', () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Hash Join',
          Plans: [
            { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', Schema: 'public' },
            {
              'Node Type': 'Hash',
              Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'agents', Schema: 'crm' }],
            },
            { 'Node Type': 'Index Scan', 'Relation Name': 'orders', Schema: 'public' },
            { 'Node Type': 'Function Scan', 'Function Name': 'generate_series' },
          ],
        },
      },
    ];
    expect(planTables(plan)).toEqual([
      { schema: 'public', name: 'orders' },
      { schema: 'crm', name: 'agents' },
    ]);
    expect(planTables(JSON.stringify(plan))).toHaveLength(2);
    expect(planTables([{ Plan: { 'Node Type': 'Result' } }])).toEqual([]);
  });
});

describe('triggerCoverage', () => {
  const fn = (source: string) => source;
  const all = 4 | 8 | 16;
  it('accepts pg_notify or NOTIFY on the channel with the table name, per event', () => {
    const good = fn("BEGIN PERFORM pg_notify('chan', TG_TABLE_NAME); RETURN NULL; END");
    expect(
      triggerCoverage(
        [{ name: 't', type: all, enabled: 'O', functionSource: good }],
        'chan',
        'orders',
      ),
    ).toEqual({ notifying: ['t'], missingEvents: [], wrongPayload: [], disabled: [] });
    const literal = fn("BEGIN NOTIFY chan, 'orders'; RETURN NULL; END");
    expect(
      triggerCoverage(
        [{ name: 'l', type: 4, enabled: 'O', functionSource: literal }],
        'chan',
        'orders',
      ).missingEvents,
    ).toEqual(['UPDATE', 'DELETE']);
  });

  it('rejects another channel, another payload and disabled triggers', () => {
    const other = "PERFORM pg_notify('chan_other', TG_TABLE_NAME)";
    const json = "PERFORM pg_notify('chan', row_to_json(NEW)::text)";
    const good = "PERFORM pg_notify('chan', TG_TABLE_NAME)";
    const coverage = triggerCoverage(
      [
        { name: 'a', type: all, enabled: 'O', functionSource: other },
        { name: 'b', type: all, enabled: 'O', functionSource: json },
        { name: 'c', type: all, enabled: 'D', functionSource: good },
      ],
      'chan',
      'orders',
    );
    expect(coverage).toEqual({
      notifying: [],
      missingEvents: ['INSERT', 'UPDATE', 'DELETE'],
      wrongPayload: ['b'],
      disabled: ['c'],
    });
  });
});

describe('notifyTriggerSql', () => {
  it('quotes names SQL needs quoted and leaves plain ones readable', () => {
    expect(quoteIdent('orders')).toBe('orders');
    expect(quoteIdent('Orders')).toBe('"Orders"');
    expect(quoteIdent('order')).toBe('"order"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(tableSql({ schema: 'public', name: 'orders' })).toBe('orders');
    expect(tableSql({ schema: 'Sales', name: 'user' })).toBe('"Sales"."user"');
    const sql = notifyTriggerSql('chan', [{ schema: 'Sales', name: 'Order Items' }, 'orders']);
    expect(sql).toContain(
      'CREATE TRIGGER chan_notify_order_items AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Sales"."Order Items"',
    );
    expect(sql).toContain('DROP TRIGGER IF EXISTS chan_notify_orders ON orders;');
  });
});

describe('errorText', () => {
  it("keeps the database's DETAIL and HINT on lines of their own", () => {
    const error = Object.assign(new Error('column "totl" does not exist'), {
      hint: 'Perhaps you meant to reference the column "orders.total".',
      detail: '',
    });
    expect(errorText(error)).toBe(
      'column "totl" does not exist\nHINT: Perhaps you meant to reference the column "orders.total".',
    );
    expect(errorText(Object.assign(new Error('dup'), { detail: 'Key (id)=(1) exists.' }))).toBe(
      'dup\nDETAIL: Key (id)=(1) exists.',
    );
    expect(errorText('plain')).toBe('plain');
  });
});

describe('NotifyRoutes', () => {
  it('routes configured tables, derived ones once known, and unknown sections on everything', () => {
    const routes = new NotifyRoutes([
      { id: 'listed', index: 0, sql: '', tables: ['public.Orders'] },
      { id: 'derived', index: 1, sql: '' },
    ]);
    expect([...routes.sectionsFor('orders')].sort()).toEqual(['derived', 'listed']);
    expect([...routes.sectionsFor('agents')]).toEqual(['derived']);
    routes.setDerived({
      section: 'derived',
      derived: true,
      problems: [],
      tables: [{ schema: 'public', name: 'agents' }],
    });
    expect([...routes.sectionsFor('orders')]).toEqual(['listed']);
    expect([...routes.sectionsFor('AGENTS')]).toEqual(['derived']);
  });
});

describe('formatPeriod', () => {
  it('says seconds, or minutes from two on', () => {
    expect(formatPeriod(60_000)).toBe('60 s');
    expect(formatPeriod(1500)).toBe('1.5 s');
    expect(formatPeriod(300_000)).toBe('5 min');
  });
});
