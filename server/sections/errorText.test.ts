import { describe, expect, it } from 'vitest';
import { errorText } from './errorText.js';

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
