/**
 * Compile-time assertions for the type tests in this folder (checked by `tsc -b`, never run).
 * `Expect<Equal<A, B>>` fails to compile unless A and B are the same type; `SameShape` also
 * accepts zod's inferred objects, and still tells a missing optional field apart.
 */
/* The generic-function comparison is the usual exact-equality test; its T is meant to be unused. */
/* eslint-disable @typescript-eslint/no-unnecessary-type-parameters */
export type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/* eslint-enable @typescript-eslint/no-unnecessary-type-parameters */

export type Expect<T extends true> = T;

/** Mutually assignable, with the same keys (an optional field missing on one side fails). */
export type SameShape<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? Equal<keyof A, keyof B>
    : false
  : false;
