/**
 * Whether a section's result has what its view needs, said plainly when it has not: a column the
 * view names (`view.x`, `view.y`, `view.y2`) that the query does not return, a `stat` card with
 * no number column or no row, a chart with nothing to draw. The card shows these notes instead of
 * a blank, a "NOPE —" tile or a line without x labels. Pure: no React, no DOM.
 */
import type { SectionUpdate, ViewSpec } from './protocol.js';

export interface ViewCheck {
  /** What the card cannot show as configured, one sentence each; empty when all is there. */
  notes: string[];
  /** False when nothing of the view can be shown truthfully (then only the notes are). */
  drawable: boolean;
  /**
   * The notes a change of the configuration fixes (a column the view names that the query lacks,
   * no number column to show): `opsdeck check` fails on these. The others (no rows, several rows
   * for a stat) depend on the data.
   */
  configProblems: string[];
}

/** The part of an update the check reads (`opsdeck check` has no version or times). */
type Result = Pick<SectionUpdate, 'columns' | 'rows'>;

/** At most this many column names are listed; the rest are counted. */
const LISTED = 12;

/** The result's column names: the update's columns, else (none sent) the first row's keys. */
export function resultColumns(update: Result): string[] {
  if (update.columns.length > 0) return update.columns.map((c) => c.name);
  return Object.keys(update.rows[0] ?? {});
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/** "the query returns a, b" (or "no columns"). */
function returns(names: readonly string[]): string {
  return names.length > 0 ? `the query returns ${listed(names)}` : 'the query returns no columns';
}

/** The columns the view names, each with the key that names it, that the result lacks. */
function missingColumns(view: ViewSpec, have: ReadonlySet<string>): string[] {
  const named: [string, string][] = [];
  const chart = view.type === 'line' || view.type === 'area' || view.type === 'bar';
  if (chart && view.x !== undefined) named.push([view.x, 'view.x']);
  if (chart || view.type === 'stat') for (const y of view.y ?? []) named.push([y, 'view.y']);
  if (chart) for (const y of view.y2 ?? []) named.push([y, 'view.y2']);
  const missing = new Map<string, string>();
  for (const [name, key] of named) {
    if (!have.has(name) && !missing.has(name)) missing.set(name, `${name} (${key})`);
  }
  return [...missing.values()];
}

/** What `update` lacks for `view`, and whether anything of the view can be shown. */
export function checkView(view: ViewSpec, update: Result): ViewCheck {
  const names = resultColumns(update);
  const have = new Set(names);
  const notes: string[] = [];
  const configProblems: string[] = [];
  /** A note the configuration fixes; "no number column" only when there are rows to type. */
  const problem = (note: string, certain = true): void => {
    notes.push(note);
    if (certain) configProblems.push(note);
  };
  const missing = missingColumns(view, have);
  if (missing.length > 0) {
    const subject = missing.length === 1 ? 'Column' : 'Columns';
    const verb = missing.length === 1 ? 'is' : 'are';
    problem(`${subject} ${missing.join(', ')} ${verb} not in the result: ${returns(names)}.`);
  }
  const numbers = update.columns.filter((c) => c.type === 'number').map((c) => c.name);
  const configured = view.y !== undefined && view.y.length > 0;
  const typed = update.rows.length > 0;
  if (view.type === 'stat') {
    const tiles = configured ? (view.y ?? []).filter((y) => have.has(y)) : numbers;
    if (!configured && tiles.length === 0) {
      problem(`No number column to show as a tile: ${returns(names)}.`, typed);
    }
    if (update.rows.length === 0) notes.push('The query returned no rows: there are no figures.');
    else if (update.rows.length > 1) {
      notes.push(`The query returned ${update.rows.length} rows: the tiles show the first.`);
    }
    return { notes, configProblems, drawable: tiles.length > 0 && update.rows.length > 0 };
  }
  if (view.type === 'table') return { notes, configProblems, drawable: true };
  const xMissing = view.x !== undefined && !have.has(view.x);
  const x = view.x ?? update.columns.find((c) => c.type !== 'number')?.name ?? names[0];
  const series = configured
    ? (view.y ?? []).filter((y) => have.has(y))
    : numbers.filter((n) => n !== x);
  if (!configured && series.length === 0) {
    problem(`No number column to draw: ${returns(names)}.`, typed);
  }
  return { notes, configProblems, drawable: !xMissing && series.length > 0 };
}
