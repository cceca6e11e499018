import { expect, vi } from 'vitest';
import type { SectionStatus } from '../../common/protocol.js';

/** The last `section-status` a client received for section `id`. */
export function lastStatus(
  statuses: readonly SectionStatus[],
  id: string,
): SectionStatus | undefined {
  return statuses.filter((s) => s.section === id).at(-1);
}

/**
 * Waits (checking every 100 ms) until the last status of every section in `ids` passes
 * `expectation` (a function of `expect`s); resolves with the milliseconds it took.
 */
export async function waitForEachStatus(
  statuses: readonly SectionStatus[],
  ids: readonly string[],
  expectation: (status: SectionStatus | undefined) => void,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  await vi.waitFor(
    () => {
      for (const id of ids) expectation(lastStatus(statuses, id));
    },
    { timeout: timeoutMs, interval: 100 },
  );
  return Date.now() - started;
}

/** For waitForEachStatus: the section reads again, and nothing warns about its feed. */
export function healthyAndUnwarned(status: SectionStatus | undefined): void {
  expect(status?.healthy).toBe(true);
  expect(status?.warning).toBeUndefined();
}
