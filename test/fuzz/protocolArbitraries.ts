/**
 * What the protocol fuzzer sends (test/fuzz/protocol.fuzz.test.ts): fast-check arbitraries for
 * one client event each, from near-valid requests to hostile shapes. Every case stays well under
 * the 64 KB frame limit, so the server must read and answer it.
 */
import { fc } from '@fast-check/vitest';

export interface FuzzCase {
  /** Mostly the protocol's events; also names outside it, numbers and prototype names. */
  event: unknown;
  /** The arguments before the acknowledgement (none: a missing payload). */
  args: unknown[];
  /** `last`: an ack; `none`: no ack; `extra`: a second function before the ack. */
  ack: 'last' | 'none' | 'extra';
}

const EVENT_NAMES = ['catalog', 'subscribe', 'unsubscribe', 'ping', 'verify', 'clients'];
const DEMO_IDS = ['kpis', 'sales', 'agents', 'recent', '$cluster'];
/** Keys that reach prototypes when code merges or indexes objects carelessly. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const FIELD_KEYS = ['sections', 'have', 'section', 'version', 'hash', 'page', 'pageSize', 'node'];

const key = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...PROTO_KEYS),
  fc.constantFrom(...FIELD_KEYS),
);

const sectionId = fc.oneof(
  fc.constantFrom(...DEMO_IDS),
  fc.stringMatching(/^[a-z0-9_-]{1,64}$/),
  fc.string({ maxLength: 70 }),
  fc.constantFrom(...PROTO_KEYS),
  fc.integer(),
  fc.constant(null),
);

const numberish = fc.oneof(
  fc.nat(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e308),
  fc.string({ maxLength: 8 }),
  fc.constant(null),
);

/** An object that holds `__proto__` as its own key (JSON.parse makes one; a literal would not). */
const ownProtoKey = fc
  .tuple(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(...FIELD_KEYS),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .map(([proto, field, value]) => {
    const text = `{"__proto__":${JSON.stringify(proto)},"${field}":${JSON.stringify(value)}}`;
    return JSON.parse(text) as unknown;
  });

/** Nested arrays or objects `depth` deep (a few KB of brackets). */
const deep = fc.tuple(fc.integer({ min: 20, max: 2000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: object = ['bottom'];
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { sections: value };
  // fast-check's report would recurse as deep; a symbol key travels in no JSON.
  Object.defineProperty(value, fc.toStringMethod, {
    value: () => `${arrays ? 'arrays' : 'objects'} ${depth} deep`,
  });
  return value;
});

/** A long string within the limit, alone or where an id or a hash belongs. */
const long = fc
  .tuple(
    fc.integer({ min: 1000, max: 28_000 }),
    fc.constantFrom('x', 'é', '$', '\u0000'),
    fc.nat(2),
  )
  .map(([n, char, where]) => {
    // At most ~28 KB once encoded (é is 2 bytes, NUL travels as the 6 characters \u0000).
    const text = char.repeat(Math.floor(n / encodedBytes(char)));
    if (where === 0) return text;
    if (where === 1) return { sections: [text] };
    return { section: 'kpis', version: 1, hash: text };
  });

/** Bytes: Socket.IO sends them as binary attachments. */
const binary = fc.tuple(fc.uint8Array({ maxLength: 4096 }), fc.nat(2)).map(([bytes, where]) => {
  const buffer = Buffer.from(bytes);
  if (where === 0) return buffer;
  if (where === 1) return { sections: [buffer, 'kpis'] };
  return { section: 'kpis', version: 1, hash: buffer };
});

const subscribeLike = fc.record(
  {
    sections: fc.oneof(fc.array(sectionId, { maxLength: 300 }), sectionId),
    have: fc.oneof(
      fc.dictionary(fc.oneof(key, fc.constantFrom(...DEMO_IDS)), numberish),
      numberish,
    ),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);

const verifyLike = fc.record(
  {
    section: sectionId,
    version: numberish,
    hash: fc.oneof(fc.string({ maxLength: 130 }), fc.stringMatching(/^[0-9a-f]{64}$/), numberish),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

const clientsLike = fc.record(
  {
    page: numberish,
    pageSize: numberish,
    node: fc.oneof(fc.string({ maxLength: 130 }), numberish),
  },
  { requiredKeys: [] },
);

const anything = fc.anything({
  maxDepth: 3,
  key,
  withBigInt: false, // JSON cannot carry it: socket.io-client would throw, not the server
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
});

export const payload: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: subscribeLike, weight: 4 },
  { arbitrary: verifyLike, weight: 2 },
  { arbitrary: clientsLike, weight: 2 },
  { arbitrary: anything, weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 2 },
  { arbitrary: ownProtoKey, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: long, weight: 1 },
  { arbitrary: binary, weight: 1 },
);

const event = fc.oneof(
  { arbitrary: fc.constantFrom(...EVENT_NAMES), weight: 8 },
  { arbitrary: fc.string({ maxLength: 80 }), weight: 1 },
  { arbitrary: fc.constantFrom(...PROTO_KEYS, 'opsdeck:snapshot', 'update', 'error'), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
);

/** The arguments before the ack: one payload mostly, none (missing), or one too many. */
const args: fc.Arbitrary<unknown[]> = fc.oneof(
  { arbitrary: fc.tuple(payload).map((a): unknown[] => a), weight: 6 },
  { arbitrary: fc.constant(null).map((): unknown[] => []), weight: 2 },
  { arbitrary: fc.tuple(payload, payload).map((a): unknown[] => a), weight: 1 },
);

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    event,
    args,
    ack: fc.oneof(
      { arbitrary: fc.constant('last' as const), weight: 8 },
      { arbitrary: fc.constant('none' as const), weight: 1 },
      { arbitrary: fc.constant('extra' as const), weight: 1 },
    ),
  })
  .filter((c) => caseBytes(c) < MAX_CASE_BYTES);

/** `size` cases sent together. */
export const fuzzBatch = (size: number): fc.Arbitrary<FuzzCase[]> =>
  fc.array(fuzzCase, { minLength: size, maxLength: size });

/** Comfortably below the 64 KB frame limit: a case this size must be read and answered. */
const MAX_CASE_BYTES = 60_000;

function encodedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/** The case's frame, about (bytes counted as JSON text; Socket.IO sends them apart, smaller). */
export function caseBytes(c: FuzzCase): number {
  const text = JSON.stringify([c.event, ...c.args], (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? 'x'.repeat(value.byteLength) : value,
  ) as string | undefined;
  return Buffer.byteLength(text ?? '');
}
