import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, electronVersion } from './support.js';

// Doyensec's Electronegativity on the main process, offline. It exits 0 whatever it finds, so this
// reads its report and fails on any HIGH finding and on any MEDIUM one that ARCHITECTURE.md does
// not list, with its reason, under "Electronegativity: reviewed findings".

const MAIN = join(ROOT, 'main');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'] as const;
const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';

interface Finding {
  id: string;
  severity: (typeof SEVERITIES)[number];
  confidence: string;
  /** Repository-relative (main/...), or N/A for global checks. */
  file: string;
  location: string;
  sample: string;
  description: string;
}

interface Reviewed {
  id: string;
  file: string;
  reason: string;
}

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));

/** Main-process sources as shipped: no tests (fake electron, throwaway windows) in the scan. */
function shippedSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shippedSources(path);
    if (!/\.(c|m)?(t|j)sx?$/.test(entry.name) || /\.test\.[cm]?[tj]sx?$/.test(entry.name))
      return [];
    return [path];
  });
}

/**
 * Copies the sources into `into`, renaming .cts/.mts (the sandboxed preload is CommonJS) to .ts:
 * the scanner only reads .js/.jsx/.ts/.tsx and would skip them silently. Returns copy -> original.
 */
function stage(into: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of shippedSources(MAIN)) {
    const rel = relative(MAIN, file);
    const staged = rel.replace(/\.([cm])([tj]s)$/, '.$2');
    mkdirSync(dirname(join(into, staged)), { recursive: true });
    copyFileSync(file, join(into, staged));
    names.set(staged, `main/${rel}`);
  }
  return names;
}

/** RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Reads the CSV report strictly: a malformed report must fail the test, not hide findings. */
function readReport(csv: string, names: Map<string, string>): Finding[] {
  const [header, ...rows] = parseCsv(csv);
  if (header?.map((cell) => cell.trim()).join(', ') !== HEADER) {
    throw new Error(`unexpected report header: ${JSON.stringify(header)}`);
  }
  return rows.map((fields, index) => {
    const [id, severity, confidence, file, location, sample, description] = fields;
    if (
      fields.length !== 8 ||
      !/^[A-Z0-9_]+_CHECK$/.test(id ?? '') ||
      !SEVERITIES.includes(severity as Finding['severity'])
    ) {
      throw new Error(`malformed report row ${index + 1}: ${JSON.stringify(fields)}`);
    }
    const original = file === undefined || file === 'N/A' ? 'N/A' : names.get(file);
    return {
      id: id ?? '',
      severity: severity as Finding['severity'],
      confidence: confidence ?? '',
      file: original ?? `main/${file ?? ''}`,
      location: location ?? '',
      sample: sample ?? '',
      description: description ?? '',
    };
  });
}

/** The reviewed-findings table (check id | file | reason) in ARCHITECTURE.md; none if absent. */
function reviewedFindings(markdown: string): Reviewed[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) =>
    /^#{1,6}\s+Electronegativity: reviewed findings\s*$/i.test(l),
  );
  if (start === -1) return [];
  const rows: Reviewed[] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6}\s/.test(line)) break;
    if (!line.trim().startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim().replace(/^`|`$/g, ''));
    if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
    const [id = '', file = '', reason = ''] = cells;
    if (/^check id$/i.test(id)) continue;
    rows.push({ id, file, reason });
  }
  return rows;
}

describe('Electronegativity report and reviewed-table parsing', () => {
  it('reads quoted fields with commas, quotes and newlines', () => {
    const csv = `${HEADER}\nX_JS_CHECK,"MEDIUM","FIRM","a.ts","1:2","f(""a, b"")\ng()","d",u\n`;
    expect(parseCsv(csv)[1]).toEqual([
      'X_JS_CHECK',
      'MEDIUM',
      'FIRM',
      'a.ts',
      '1:2',
      'f("a, b")\ng()',
      'd',
      'u',
    ]);
    expect(readReport(csv, new Map([['a.ts', 'main/a.cts']]))[0]).toMatchObject({
      id: 'X_JS_CHECK',
      severity: 'MEDIUM',
      file: 'main/a.cts',
    });
  });

  it('refuses a damaged report rather than reading fewer findings', () => {
    expect(() => readReport(`${HEADER}\nted in the target",https://x\n`, new Map())).toThrow(
      /malformed/,
    );
    expect(() => readReport('issue, severity\n', new Map())).toThrow(/header/);
  });

  it('reads the table under its heading, skipping the header and separator rows', () => {
    const markdown = [
      '## Invariants',
      '| a | b | c |',
      '### Electronegativity: reviewed findings',
      '',
      'Text.',
      '',
      '| check id | file | reason |',
      '|---|---|---|',
      '| `OPEN_EXTERNAL_JS_CHECK` | `main/ipc/registerHandlers.ts` | URL checked first |',
      '| CSP_GLOBAL_CHECK | N/A | header set by the protocol handler |',
      '',
      '| NOT_THIS | x | y |',
    ].join('\n');
    expect(reviewedFindings(markdown)).toEqual([
      {
        id: 'OPEN_EXTERNAL_JS_CHECK',
        file: 'main/ipc/registerHandlers.ts',
        reason: 'URL checked first',
      },
      { id: 'CSP_GLOBAL_CHECK', file: 'N/A', reason: 'header set by the protocol handler' },
    ]);
    expect(reviewedFindings('# Architecture\n')).toEqual([]);
  });
});

const hasMain = existsSync(join(MAIN, 'main.ts'));
const skipReason = hasMain ? undefined : 'main/main.ts does not exist yet';
if (skipReason) console.warn(`electronegativity: skipped: ${skipReason}`);

describe.skipIf(!hasMain)(
  `Electronegativity on main/${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let work = '';
    let names = new Map<string, string>();
    let findings: Finding[] = [];
    let reviewed: Reviewed[] = [];

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'opsdeck-electronegativity-'));
      names = stage(join(work, 'main'));
      const report = join(work, 'report.csv');
      const bin = (
        JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
          bin: Record<string, string>;
        }
      ).bin.electronegativity;
      if (!bin) throw new Error('@doyensec/electronegativity has no bin');
      // prettier-ignore
      const args = [
        join(packageDir, bin),
        '-i', join(work, 'main'),
        '-o', report,
        '-x', 'AvailableSecurityFixesGlobalCheck',
        '-e', electronVersion(),
        '-r',
        '-v', 'false',
      ];
      await promisify(execFile)(process.execPath, args, {
        cwd: work,
        // The CSV writer opens the file twice (header, then rows) without waiting: with one
        // libuv thread the writes land in order instead of the header overwriting a row.
        // LANG: its messages in its default locale (it tries to fetch others, offline in vain).
        env: { ...process.env, UV_THREADPOOL_SIZE: '1', LANG: 'en-US' },
        timeout: 60_000,
      });
      const csv = readFileSync(report, 'utf8');
      mkdirSync(ARTIFACTS, { recursive: true });
      copyFileSync(report, join(ARTIFACTS, 'electronegativity.csv'));
      findings = readReport(csv, names);
      reviewed = reviewedFindings(readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8'));
      const summary = findings.map(
        (f) => `  ${f.severity} ${f.id} ${f.file}:${f.location} ${f.sample.split('\n')[0] ?? ''}`,
      );
      console.log(`electronegativity: ${findings.length} findings\n${summary.join('\n')}`);
    }, 90_000);

    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('the scanner can parse every main-process source (it skips unparsable files silently)', () => {
      const { Parser } = require(join(packageDir, 'dist', 'parser', 'parser.js')) as {
        Parser: new (
          babelFirst: boolean,
          typescriptBabelFirst: boolean,
        ) => {
          parse(file: string, content: Buffer): unknown;
        };
      };
      const parser = new Parser(false, true); // as its runner constructs it
      const failures: string[] = [];
      for (const [staged, original] of names) {
        try {
          parser.parse(staged, readFileSync(join(work, 'main', staged)));
        } catch (error) {
          failures.push(`${original}: ${(error as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
      expect(names.size).toBeGreaterThan(0);
    });

    it('reports no HIGH finding', () => {
      const high = findings
        .filter((f) => f.severity === 'HIGH')
        .map((f) => `${f.id} ${f.file}:${f.location} ${f.sample}`);
      expect(high).toEqual([]);
    });

    it('every MEDIUM finding is fixed or listed with its reason in ARCHITECTURE.md', () => {
      const isReviewed = (f: Finding) =>
        reviewed.some((r) => r.id === f.id && r.file === f.file && r.reason.length > 0);
      const unreviewed = findings
        .filter((f) => f.severity === 'MEDIUM' && !isReviewed(f))
        .map((f) => `${f.id} | ${f.file} | (${f.location}: ${f.description})`);
      expect(
        unreviewed,
        'fix these, or add a row "check id | file | reason" under "Electronegativity: reviewed findings" in ARCHITECTURE.md',
      ).toEqual([]);
      const stale = reviewed.filter(
        (r) => !findings.some((f) => f.id === r.id && f.file === r.file),
      );
      if (stale.length > 0) {
        console.warn(
          `electronegativity: reviewed rows that no longer match a finding: ${stale.map((r) => `${r.id} ${r.file}`).join(', ')}`,
        );
      }
    });
  },
);
