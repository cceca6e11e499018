import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parsePayload } from './parsePayload.js';

const schema = z.strictObject({ sections: z.array(z.string().max(8)) });

describe('parsePayload', () => {
  it('passes a valid payload through', () => {
    expect(parsePayload(schema, { sections: ['a'] })).toEqual({
      ok: true,
      value: { sections: ['a'] },
    });
  });

  it('names three problems at most, each cut, and counts the rest', () => {
    const result = parsePayload(schema, {
      sections: Array.from({ length: 50 }, () => 'x'.repeat(9)),
    });
    if (result.ok) throw new Error('accepted');
    expect(result.message.split('; ')).toHaveLength(4);
    expect(result.message).toMatch(/; and 47 more$/);
  });

  it.each([
    ['a Buffer', Buffer.from([1, 2, 3])],
    ['a typed array', Float64Array.from([1.5, 2])],
    ['an ArrayBuffer', new ArrayBuffer(8)],
  ])('says %s is binary data, not its keys', (_name, payload) => {
    expect(parsePayload(schema, payload)).toEqual({
      ok: false,
      message: 'payload: expected an object, received binary data',
    });
  });
});
