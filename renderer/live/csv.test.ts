import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { CellValue, Column, Row } from '../../common/protocol.js';
import { parseCsv } from '../../test/helpers/csvParse.js';
import { csvField, csvText, toCsv } from './csv.js';

const columns: Column[] = [
  { name: 'id', type: 'number' },
  { name: 'customer_name', type: 'string' },
  { name: 'total', type: 'number' },
  { name: 'paid', type: 'boolean' },
  { name: 'created_at', type: 'time' },
];

describe('toCsv', () => {
  it('writes a header of the column names and the values as the update carries them', () => {
    const rows: Row[] = [
      {
        id: 1,
        customer_name: 'Harbor',
        total: 1234.5,
        paid: true,
        created_at: '2026-01-02T03:04:05.000Z',
      },
      {
        id: 2,
        customer_name: null,
        total: -0.25,
        paid: false,
        created_at: '2026-01-02T03:04:06.000Z',
      },
    ];
    expect(toCsv(columns, rows)).toBe(
      'id,customer_name,total,paid,created_at\r\n' +
        '1,Harbor,1234.5,true,2026-01-02T03:04:05.000Z\r\n' +
        '2,,-0.25,false,2026-01-02T03:04:06.000Z\r\n',
    );
  });

  it('quotes commas, quotes, line breaks and edge spaces, and doubles the quotes inside', () => {
    expect(csvField('Smith, Jones')).toBe('"Smith, Jones"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('')).toBe('');
  });

  it('writes JSON values as JSON and a missing value as an empty field', () => {
    expect(csvText({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(csvText(undefined)).toBe('');
    expect(toCsv([{ name: 'a', type: 'string' }], [{}])).toBe('a\r\n\r\n');
  });

  it('has only the header for no rows', () => {
    expect(toCsv(columns, [])).toBe('id,customer_name,total,paid,created_at\r\n');
  });
});

const cell: fc.Arbitrary<CellValue> = fc.oneof(
  fc.string({ unit: 'grapheme-composite' }),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', 'é') }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

const table = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 })
  .chain((names) =>
    fc.tuple(fc.constant(names), fc.array(fc.tuple(...names.map(() => cell)), { maxLength: 12 })),
  );

describe('toCsv round trip (fast-check)', () => {
  test.prop([table])(
    'an RFC 4180 reader gets back the header and every value',
    ([names, values]) => {
      const cols: Column[] = names.map((name) => ({ name, type: 'string' }));
      const rows: Row[] = values.map((v) =>
        Object.fromEntries(names.map((n, i) => [n, v[i] ?? null])),
      );
      const records = parseCsv(toCsv(cols, rows));
      expect(records[0]).toEqual(names);
      expect(records.slice(1)).toEqual(values.map((v) => v.map((x) => csvText(x))));
    },
  );
});
