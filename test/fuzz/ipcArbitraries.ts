/**
 * Arguments the IPC fuzzer (test/fuzz/ipc.fuzz.test.ts) passes to the desktop API: near-valid
 * profiles, reports and URLs, hostile shapes (`__proto__` keys, getters that throw, functions,
 * symbols, huge strings, deep nesting), and zero to three of them.
 */
import { fc } from '@fast-check/vitest';

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString'];

const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'http://', 'https://a b', ''),
  fc.string({ maxLength: 100 }).map((s) => `http://${s}`),
);

const profileLike = fc.record(
  {
    id: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,40}$/), fc.string({ maxLength: 120 })),
    name: fc.oneof(fc.string({ maxLength: 220 }), fc.constant('   ')),
    urls: fc.oneof(fc.array(url, { maxLength: 40 }), url),
    token: fc.oneof(fc.string({ maxLength: 50 }), fc.integer()),
    builtin: fc.oneof(fc.boolean(), fc.string({ maxLength: 5 })),
  },
  { requiredKeys: [] },
);

const reportLike = fc.record(
  {
    phase: fc.oneof(fc.constantFrom('connected', 'reconnecting', 'offline'), fc.string()),
    targetName: fc.string({ maxLength: 220 }),
    unhealthySections: fc.oneof(
      fc.array(fc.record({ id: fc.string(), title: fc.string(), error: fc.string() }), {
        maxLength: 5,
      }),
      fc.anything({ maxDepth: 1 }),
    ),
    loud: fc.array(fc.record({ id: fc.string(), severity: fc.string(), message: fc.string() }), {
      maxLength: 5,
    }),
    firing: fc.nat(),
  },
  { requiredKeys: [] },
);

const prefsLike = fc.dictionary(
  fc.oneof(fc.constantFrom('connectionLost', 'sectionUnhealthy', 'alerts'), fc.string()),
  fc.oneof(fc.boolean(), fc.string({ maxLength: 5 }), fc.constant(null)),
);

const ownProtoKey = fc
  .jsonValue({ maxDepth: 2 })
  .map((value) => JSON.parse(`{"__proto__":${JSON.stringify(value)},"id":"x"}`) as unknown);

/** A getter that throws, and things structured clone refuses (functions, symbols). */
const throwingGetter = Object.defineProperty({}, 'urls', {
  enumerable: true,
  get() {
    throw new Error('getter boom');
  },
});
Object.defineProperty(throwingGetter, fc.toStringMethod, { value: () => 'a getter that throws' });

const hostile = fc.constantFrom<unknown>(
  throwingGetter,
  () => 'function',
  Symbol('symbol'),
  { nested: () => 'function inside' },
  new Proxy({}, {}),
  Object.create(null) as unknown,
);

const deep = fc.integer({ min: 10, max: 1000 }).map((depth) => {
  let value: object = [];
  for (let i = 0; i < depth; i++) value = { urls: value };
  Object.defineProperty(value, fc.toStringMethod, { value: () => `${depth} deep` });
  return value;
});

const huge = fc.integer({ min: 2049, max: 200_000 }).map((n) => 'x'.repeat(n));

export const ipcArg: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: profileLike, weight: 3 },
  { arbitrary: reportLike, weight: 2 },
  { arbitrary: prefsLike, weight: 2 },
  { arbitrary: url, weight: 2 },
  {
    arbitrary: fc.anything({
      maxDepth: 3,
      key: fc.oneof(fc.string(), fc.constantFrom(...PROTO_KEYS)),
    }),
    weight: 3,
  },
  { arbitrary: ownProtoKey, weight: 1 },
  { arbitrary: hostile, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: huge, weight: 1 },
);

export const ipcArgs: fc.Arbitrary<unknown[]> = fc.array(ipcArg, { maxLength: 3 });
