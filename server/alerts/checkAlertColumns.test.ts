import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../common/alerts.js';
import type { Column } from '../../common/protocol.js';
import { checkAlertColumns } from './checkAlertColumns.js';

const columns = new Map<string, Column[]>([
  [
    'kpis',
    [
      { name: 'open_orders', type: 'number' },
      { name: 'day', type: 'time' },
    ],
  ],
]);
const rule = (r: Partial<AlertRule>): AlertRule => ({
  id: 'r',
  section: 'kpis',
  when: 'failing',
  severity: 'warning',
  ...r,
});

describe('checkAlertColumns', () => {
  it('passes a rule whose column and placeholders exist', () => {
    expect(
      checkAlertColumns(
        [rule({ when: 'open_orders > 5', message: '{open_orders} in {section} ({value})' })],
        columns,
      ),
    ).toEqual([{ id: 'r', ok: true, text: 'open_orders > 5 on kpis' }]);
  });

  it('fails a missing column, names the columns, and warns on a column that is not a number', () => {
    const [missing, time] = checkAlertColumns(
      [rule({ when: 'open > 5' }), rule({ id: 't', when: 'day > 5' })],
      columns,
    );
    expect(missing).toEqual({
      id: 'r',
      ok: false,
      text: 'kpis has no column "open" (its columns: open_orders, day)',
    });
    expect(time).toEqual({
      id: 't',
      ok: true,
      text: 'day > 5 on kpis; warning: day is time, only numeric values can match',
    });
  });

  it('lets failing and no change for messages name only what they fill', () => {
    expect(
      checkAlertColumns(
        [
          rule({ message: '{section}: {error}' }),
          rule({ id: 'f', message: '{open_orders} and {error}' }),
          rule({ id: 's', when: 'no change for 5m', message: '{error}' }),
        ],
        columns,
      ),
    ).toEqual([
      { id: 'r', ok: true, text: 'failing on kpis' },
      {
        id: 'f',
        ok: false,
        text: 'message: {open_orders}: a "failing" message may name only {section}, {error}',
      },
      {
        id: 's',
        ok: false,
        text: 'message: {error}: a "no change for 5m" message may name only {section}',
      },
    ]);
  });

  it('fails a rule whose section did not run', () => {
    expect(checkAlertColumns([rule({ section: 'sales' })], columns)).toEqual([
      { id: 'r', ok: false, text: 'not checked: section sales failed' },
    ]);
  });
});
