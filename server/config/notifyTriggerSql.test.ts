import { describe, expect, it } from 'vitest';
import { notifyTriggerSql, quoteIdent, tableSql } from './notifyTriggerSql.js';

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
