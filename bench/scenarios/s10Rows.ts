import type { ChangeLags } from '../lib/changeLags.js';
import type { HeapFigures } from '../lib/inspector.js';
import { fmtBytes, fmtMs, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

/** p99 commit -> client target per fleet size (issue 11, target 1). */
const P99_TARGET_MS = (clients: number) => (clients <= 2000 ? 50 : 250);

/** A server's memory per idle connection (after GC) and its figures with every client on. */
export interface MemoryFigures {
  heap: number;
  rss: number;
  heapN: HeapFigures;
}

/** Scenario 10's fan-out rows for one fleet size: Opsdeck against the plain server. */
export function lagRows(
  size: number,
  lags: Map<string, ChangeLags>,
  whole: Map<string, ChangeLags>,
): ResultRow[] {
  const o = lags.get('opsdeck');
  const p = lags.get('plain');
  const ow = whole.get('opsdeck');
  const pw = whole.get('plain');
  if (!o || !p || !ow || !pw) return [];
  const label = `${size >= 1000 ? `${size / 1000}k` : size} clients × 3 sections`;
  const missing = o.missing > 0 ? `, ${o.missing} missing` : '';
  const target = P99_TARGET_MS(size);
  return [
    {
      scenario: '10 fan-out',
      figureName: `${label}: commit -> last client per change (median)${missing}`,
      figure: fmtMs(o.last),
      baseline: `plain server: ${fmtMs(p.last)}${p.missing > 0 ? `, ${p.missing} missing` : ''}`,
      ratio: fmtRatio(o.last, p.last),
      target: '≤ 1.00x, 0 missing',
      met: yesNo(o.last <= p.last && o.missing === 0),
    },
    {
      scenario: '10 fan-out',
      figureName: `${label}: commit -> client p50 / p99`,
      figure: `${fmtMs(o.p50)} / ${fmtMs(o.p99)}`,
      baseline: `plain server: ${fmtMs(p.p50)} / ${fmtMs(p.p99)}`,
      ratio: fmtRatio(o.p99, p.p99),
      target: `p99 < ${target} ms`,
      met: yesNo(o.p99 < target && o.missing === 0),
    },
    {
      scenario: '10 fan-out',
      figureName: `${label}: all three sections of the change on screen, p50 / p99 / last (median)`,
      figure: `${fmtMs(ow.p50)} / ${fmtMs(ow.p99)} / ${fmtMs(ow.last)}`,
      baseline: `plain server: ${fmtMs(pw.p50)} / ${fmtMs(pw.p99)} / ${fmtMs(pw.last)}`,
      ratio: fmtRatio(ow.last, pw.last),
      target: '—',
      met: '—',
    },
  ];
}

/** Scenario 10's memory rows: per idle connection, Opsdeck against the plain server. */
export function memoryRows(
  clients: number,
  o: MemoryFigures | undefined,
  p: MemoryFigures | undefined,
): ResultRow[] {
  if (!o || !p) return [];
  return [
    {
      scenario: '10 memory',
      figureName: `heap per idle connection, ${clients} clients (3 sections each)`,
      figure: fmtBytes(o.heap),
      baseline: `plain server: ${fmtBytes(p.heap)}`,
      ratio: fmtRatio(o.heap, p.heap),
      target: '< 8 KB',
      met: yesNo(o.heap < 8 * 1024),
    },
    {
      scenario: '10 memory',
      figureName: `RSS per idle connection (RSS ${fmtBytes(o.heapN.rss)} in all)`,
      figure: fmtBytes(o.rss),
      baseline: `plain server: ${fmtBytes(p.rss)}`,
      ratio: fmtRatio(o.rss, p.rss),
      target: '—',
      met: '—',
    },
  ];
}
