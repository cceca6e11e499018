/**
 * Resolves with the first truthy value of an async `predicate`, polled every `everyMs`; rejects
 * with `what` after the timeout. (test/helpers/client.ts's waitFor takes synchronous predicates.)
 */
export async function waitUntil<T>(
  what: string,
  predicate: () => Promise<T | undefined | false>,
  timeoutMs = 5000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
