import { describe, expect, it } from 'vitest';
import type { Column } from '../../common/protocol.js';
import { canonicalHash } from './canonicalHash.js';

const columns: Column[] = [
  { name: 'a', type: 'number' },
  { name: 'b', type: 'string' },
];

describe('canonicalHash', () => {
  it('is equal for equal results whatever the key order of rows and nested JSON', () => {
    const one = canonicalHash(columns, [{ a: 1, b: 'x' }], false);
    const two = canonicalHash(columns, [{ b: 'x', a: 1 }], false);
    expect(one).toBe(two);
    const nested = [{ name: 'j', type: 'string' as const }];
    expect(canonicalHash(nested, [{ j: { p: 1, q: [1, 2] } }], false)).toBe(
      canonicalHash(nested, [{ j: { q: [1, 2], p: 1 } }], false),
    );
  });

  it('changes with any value, row order, column type or truncation', () => {
    const base = canonicalHash(
      columns,
      [
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ],
      false,
    );
    const variants = [
      canonicalHash(
        columns,
        [
          { a: 1, b: 'x' },
          { a: 2, b: 'z' },
        ],
        false,
      ),
      canonicalHash(
        columns,
        [
          { a: 2, b: 'y' },
          { a: 1, b: 'x' },
        ],
        false,
      ),
      canonicalHash(
        columns,
        [
          { a: 1, b: 'x' },
          { a: 2, b: 'y' },
        ],
        true,
      ),
      canonicalHash(
        [{ name: 'a', type: 'string' }, columns[1]!],
        [
          { a: 1, b: 'x' },
          { a: 2, b: 'y' },
        ],
        false,
      ),
      canonicalHash(columns, [{ a: 1, b: 'x' }], false),
      canonicalHash(
        columns,
        [
          { a: '1', b: 'x' },
          { a: 2, b: 'y' },
        ],
        false,
      ),
      canonicalHash(
        columns,
        [
          { a: null, b: 'x' },
          { a: 2, b: 'y' },
        ],
        false,
      ),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('does not confuse row boundaries with values', () => {
    const single = [{ name: 'v', type: 'string' as const }];
    expect(canonicalHash(single, [{ v: 'a\n"b"' }], false)).not.toBe(
      canonicalHash(single, [{ v: 'a' }, { v: 'b' }], false),
    );
  });
});
