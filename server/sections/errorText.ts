/**
 * An error as text for people: its message, then the database's DETAIL and HINT on lines of their
 * own when it gave them (PostgreSQL's "Perhaps you meant to reference the column ..."), so that
 * clients, logs and `check` never drop the part that says how to fix it.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const lines = [error.message || error.name];
  const extra = error as Error & { detail?: unknown; hint?: unknown };
  if (typeof extra.detail === 'string' && extra.detail !== '')
    lines.push(`DETAIL: ${extra.detail}`);
  if (typeof extra.hint === 'string' && extra.hint !== '') lines.push(`HINT: ${extra.hint}`);
  return lines.join('\n');
}
