import { describe, expect, it } from 'vitest';
import { triggerCoverage } from './triggerCoverage.js';

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
