/** One line of the result table. */
export interface ResultRow {
  scenario: string;
  /** What is measured (and how many clients etc.). */
  figureName: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
  met: 'yes' | 'no' | '—';
}

const HEADERS = ['scenario', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', 'met'];

/** A Markdown table: readable in a terminal, pasted as is into BENCHMARKS.md. */
export function renderTable(rows: ResultRow[]): string {
  const cells = rows.map((r) => [
    r.scenario,
    r.figureName,
    r.figure,
    r.baseline,
    r.ratio,
    r.target,
    r.met,
  ]);
  const widths = HEADERS.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)),
  );
  const line = (values: string[]) =>
    `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(HEADERS),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtCount(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 100 || Number.isInteger(n)) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function fmtBytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const abs = Math.abs(n);
  if (abs >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (abs >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${Math.round(n)} B`;
}

export function fmtRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  return `${perSecond.toFixed(0)}/s`;
}

/** figure / baseline, readable both ways: `0.95x`, `1/1,203`. */
export function fmtRatio(figure: number, baseline: number): string {
  if (!Number.isFinite(figure) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  const r = figure / baseline;
  if (r === 0) return '0';
  if (r < 0.1) return `1/${fmtCount(baseline / figure)}`;
  return `${r.toFixed(r >= 10 ? 0 : 2)}x`;
}

export function yesNo(ok: boolean): 'yes' | 'no' {
  return ok ? 'yes' : 'no';
}
