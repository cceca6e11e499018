/** The units a duration may take in the configuration (`20s`, `2m`, `1h`), in milliseconds. */
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Longest duration accepted: a week (longer ones are surely a typo). */
const MAX_MS = 7 * 24 * 3_600_000;

/**
 * `20s`, `2m`, `1h` (also `1h30m`) in milliseconds; undefined when the text is not a positive
 * duration of at most a week.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+[smh])+$/.test(trimmed)) return undefined;
  let ms = 0;
  for (const [, count, unit] of trimmed.matchAll(/(\d+)([smh])/g)) {
    ms += Number(count) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return ms > 0 && ms <= MAX_MS ? ms : undefined;
}
