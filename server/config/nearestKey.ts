/**
 * "Did you mean ...?" for a misspelled key or flag: the known name closest to what was typed, if
 * it is close enough to be a likely typo (a swap, a missing or extra letter), otherwise nothing.
 */

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (OSA). */
export function editDistance(a: string, b: string): number {
  // rows[i][j]: distance between the first i characters of a and the first j of b
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The largest distance still suggested for a word of this length: 1 up to 5 letters, then len/3. */
export function suggestionDistance(length: number): number {
  return Math.max(1, Math.floor(length / 3));
}

/**
 * The known name nearest to `typed` (case-insensitive), or undefined when none is within
 * suggestionDistance(typed.length). A typed prefix of exactly one known name (3+ letters) also
 * counts. Ties go to the earlier known name.
 */
export function nearestKey(typed: string, known: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    if (name === typed) continue;
    const distance = editDistance(word, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (best && best.distance <= suggestionDistance(word.length)) return best.name;
  if (word.length >= 3) {
    const prefixed = known.filter((name) => name.toLowerCase().startsWith(word));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}
