import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../common/alerts.js';
import type { Row, SectionUpdate } from '../../common/protocol.js';
import { AlertEvaluator } from './AlertEvaluator.js';
import { compileRule } from './compileRule.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const s = (seconds: number) => T0 + seconds * 1000;
const iso = (seconds: number) => new Date(s(seconds)).toISOString();

let version = 0;
function update(section: string, rows: Row[]): SectionUpdate {
  version += 1;
  return { section, version, rows, columns: [], changedAt: '', queriedAt: '' };
}

function evaluator(...rules: Partial<AlertRule>[]): AlertEvaluator {
  return new AlertEvaluator(
    rules.map((r, i) =>
      compileRule({ id: `r${i}`, section: 'kpis', when: 'failing', severity: 'warning', ...r }),
    ),
    T0,
  );
}

describe('AlertEvaluator: <column> <op> <number>', () => {
  it('fires when any row matches, naming the first matching row; resolves when none does', () => {
    const e = evaluator({
      section: 'agents',
      when: 'open > 5',
      severity: 'critical',
      message: '{agent} has {open} open orders',
    });
    const rows = [
      { agent: 'Ann', open: 2 },
      { agent: 'Bob', open: 7 },
      { agent: 'Cyd', open: 9 },
    ];
    expect(e.update(update('agents', rows), s(1))).toEqual([
      {
        id: 'r0',
        section: 'agents',
        severity: 'critical',
        state: 'firing',
        value: 7,
        since: iso(1),
        message: 'Bob has 7 open orders',
      },
    ]);
    // Still holding, on another row now: the same firing (same since) with the new figures.
    expect(e.update(update('agents', [{ agent: 'Cyd', open: 9 }]), s(2))).toEqual([
      expect.objectContaining({
        state: 'firing',
        since: iso(1),
        value: 9,
        message: 'Cyd has 9 open orders',
      }),
    ]);
    // Nothing moved: nothing to say.
    expect(e.update(update('agents', [{ agent: 'Cyd', open: 9 }]), s(3))).toEqual([]);
    expect(e.update(update('other', rows), s(3))).toEqual([]);
    expect(e.update(update('agents', [{ agent: 'Ann', open: 5 }]), s(4))).toEqual([
      expect.objectContaining({ state: 'resolved', value: 9, since: iso(4) }),
    ]);
    expect(e.firing()).toEqual([]);
  });

  it.each([
    ['v >= 3', 3, true],
    ['v >= 3', 2.9, false],
    ['v < 0', -1, true],
    ['v <= 1', 1, true],
    ['v == 4', 4, true],
    ['v != 4', 4, false],
    ['v > 10', '10.5', true], // numbers as text (PostgreSQL numeric)
    ['v > 10', 'eleven', false],
    ['v > 10', null, false],
  ])('%s with v = %j: fires %s', (when, v, fires) => {
    const events = evaluator({ when }).update(update('kpis', [{ v }]), s(0));
    expect(events.map((ev) => ev.state)).toEqual(fires ? ['firing'] : []);
  });

  it('says which column and threshold by default', () => {
    const [event] = evaluator({ when: 'open_orders > 50' }).update(
      update('kpis', [{ open_orders: 61 }]),
      s(0),
    );
    expect(event?.message).toBe('kpis: open_orders is 61 (> 50)');
  });
});

describe('AlertEvaluator: for:', () => {
  it('fires only once the condition has held without a break for that long', () => {
    const e = evaluator({ when: 'v > 1', for: '2m' });
    expect(e.update(update('kpis', [{ v: 2 }]), s(0))).toEqual([]);
    expect(e.tick(s(60))).toEqual([]);
    expect(e.update(update('kpis', [{ v: 0 }]), s(70))).toEqual([]); // the break resets it
    expect(e.tick(s(130))).toEqual([]);
    expect(e.update(update('kpis', [{ v: 3 }]), s(100))).toEqual([]);
    expect(e.tick(s(219))).toEqual([]);
    expect(e.tick(s(221))).toEqual([
      expect.objectContaining({ state: 'firing', value: 3, since: iso(220) }),
    ]);
    expect(e.tick(s(300))).toEqual([]);
  });
});

describe('AlertEvaluator: no change for', () => {
  it('fires when the version has not changed for that long; the next version resolves it', () => {
    const e = evaluator({ section: 'recent', when: 'no change for 30m', severity: 'critical' });
    expect(e.tick(s(29 * 60))).toEqual([]);
    e.update(update('recent', [{ id: 1 }]), s(10 * 60));
    expect(e.tick(s(39 * 60 + 59))).toEqual([]);
    expect(e.tick(s(40 * 60 + 1))).toEqual([
      {
        id: 'r0',
        section: 'recent',
        severity: 'critical',
        state: 'firing',
        since: iso(40 * 60),
        message: 'recent has not changed for 30m',
      },
    ]);
    expect(e.tick(s(41 * 60))).toEqual([]);
    expect(e.update(update('recent', [{ id: 2 }]), s(42 * 60))).toEqual([
      expect.objectContaining({ state: 'resolved', since: iso(42 * 60) }),
    ]);
    expect(e.tick(s(43 * 60))).toEqual([]);
  });
});

describe('AlertEvaluator: failing', () => {
  it('fires while the section is unhealthy (after for:), with the error', () => {
    const e = evaluator({ when: 'failing', for: '20s' });
    const failing = { section: 'kpis', healthy: false, error: 'relation "x" does not exist' };
    expect(e.status(failing, s(0))).toEqual([]);
    expect(e.tick(s(21))).toEqual([
      expect.objectContaining({
        state: 'firing',
        since: iso(20),
        message: 'kpis is failing: relation "x" does not exist',
      }),
    ]);
    expect(e.status({ section: 'kpis', healthy: true }, s(30))).toEqual([
      expect.objectContaining({ state: 'resolved', since: iso(30) }),
    ]);
  });
});

describe('AlertEvaluator.adopt', () => {
  it('takes over firing alerts: they resolve, rather than fire again', () => {
    const first = evaluator({ when: 'v > 1' });
    const fired = first.update(update('kpis', [{ v: 5 }]), s(0));
    const next = evaluator({ when: 'v > 1' });
    next.adopt(fired);
    expect(next.update(update('kpis', [{ v: 5 }]), s(5))).toEqual([]);
    expect(next.firing()).toEqual(fired);
    // Restated, not fired again: the same since.
    expect(next.update(update('kpis', [{ v: 6 }]), s(5))).toEqual([
      { ...fired[0], value: 6, message: 'kpis: v is 6 (> 1)' },
    ]);
    expect(next.update(update('kpis', [{ v: 0 }]), s(6))).toEqual([
      expect.objectContaining({ id: 'r0', state: 'resolved', value: 6 }),
    ]);
  });
});
