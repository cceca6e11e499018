import type { AlertEvent } from '../../common/alerts.js';
import type { CellValue, Row, SectionStatus, SectionUpdate } from '../../common/protocol.js';
import type { CompiledRule } from './compileRule.js';
import { fillMessage } from './fillMessage.js';
import { compare } from './parseWhen.js';

/** What a firing would say: the matched number (threshold rules) and the filled message. */
interface Detail {
  value?: number;
  message: string;
}

interface RuleState {
  rule: CompiledRule;
  /** Since when (epoch ms) the condition has held without a break; undefined while it does not. */
  holdingSince: number | undefined;
  /** The latest detail while the condition holds (the firing says it). */
  detail: Detail | undefined;
  /** The firing event, while firing. */
  firing: AlertEvent | undefined;
}

interface SectionState {
  /** When (epoch ms) the section's version last changed (or evaluation began). */
  lastChangeAt: number;
}

/**
 * Decides, from a section's updates and statuses and the passing of time, which alerts start or
 * stop firing, and restates a firing alert whose figures moved. Pure: no timers, no I/O; every call takes `now` (epoch ms) and returns the state
 * changes it caused, in rule order. `for:` must hold without a break; `tick` makes time-based
 * conditions (`for:`, `no change for`) fire, so call it every second or so.
 */
export class AlertEvaluator {
  private readonly rules: RuleState[];
  private readonly sections = new Map<string, SectionState>();

  constructor(rules: readonly CompiledRule[], now: number) {
    this.rules = rules.map((rule) => ({
      rule,
      holdingSince: undefined,
      detail: undefined,
      firing: undefined,
    }));
    for (const { info } of rules) this.sections.set(info.section, { lastChangeAt: now });
  }

  /** A new version of a section (`changedAt`: when it changed, if not now). */
  update(update: SectionUpdate, now: number, changedAt = now): AlertEvent[] {
    const section = this.sections.get(update.section);
    if (!section) return [];
    section.lastChangeAt = changedAt;
    return this.each(update.section, (state) => {
      const { rule } = state;
      const c = rule.condition;
      if (c.kind === 'failing') return undefined;
      if (c.kind === 'stale') return this.step(state, false, now, undefined);
      const match = firstMatch(update.rows, c.column, (v) => compare(v, c.op, c.threshold));
      if (!match) return this.step(state, false, now, undefined);
      const values = { section: update.section, value: match.value, ...match.row };
      const detail = { value: match.value, message: fillMessage(rule.template, values) };
      return this.step(state, true, now, detail);
    });
  }

  /** A section's health changed. */
  status(status: SectionStatus, now: number): AlertEvent[] {
    return this.each(status.section, (state) => {
      if (state.rule.condition.kind !== 'failing') return undefined;
      const values = { section: status.section, error: status.error ?? 'query failed' };
      const detail = { message: fillMessage(state.rule.template, values) };
      return this.step(state, !status.healthy, now, detail);
    });
  }

  /** Time passed: `no change for` conditions, and conditions waiting out their `for:`. */
  tick(now: number): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const state of this.rules) {
      const c = state.rule.condition;
      let event: AlertEvent | undefined;
      if (c.kind === 'stale') {
        const since = (this.sections.get(state.rule.info.section)?.lastChangeAt ?? now) + c.ms;
        const detail = {
          message: fillMessage(state.rule.template, { section: state.rule.info.section }),
        };
        event = since <= now ? this.step(state, true, now, detail, since) : undefined;
      } else if (state.holdingSince !== undefined && !state.firing) {
        event = this.step(state, true, now, state.detail);
      }
      if (event) events.push(event);
    }
    return events;
  }

  /**
   * Firing alerts decided elsewhere (the previous leader): taken over as firing, so that they
   * resolve, rather than fire again, when this evaluator finds the condition no longer holds.
   */
  adopt(firing: readonly AlertEvent[]): void {
    for (const event of firing) {
      const state = this.rules.find((s) => s.rule.info.id === event.id);
      if (!state || state.firing) continue;
      state.firing = event;
      state.holdingSince = Date.parse(event.since) - state.rule.forMs;
      state.detail = {
        ...(event.value === undefined ? {} : { value: event.value }),
        message: event.message,
      };
    }
  }

  /** The alerts firing now, in rule order. */
  firing(): AlertEvent[] {
    return this.rules.flatMap((s) => (s.firing ? [s.firing] : []));
  }

  private each(section: string, fn: (state: RuleState) => AlertEvent | undefined): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const state of this.rules) {
      if (state.rule.info.section !== section) continue;
      const event = fn(state);
      if (event) events.push(event);
    }
    return events;
  }

  /** The condition holds (since `at`) or not, now: the event this causes, if any. */
  private step(
    state: RuleState,
    holds: boolean,
    now: number,
    detail: Detail | undefined,
    at = now,
  ): AlertEvent | undefined {
    if (!holds) {
      state.holdingSince = undefined;
      state.detail = undefined;
      const firing = state.firing;
      if (!firing) return undefined;
      state.firing = undefined;
      return { ...firing, state: 'resolved', since: new Date(now).toISOString() };
    }
    state.holdingSince ??= at;
    if (detail) state.detail = detail;
    if (state.firing) return detail ? this.restate(state, detail) : undefined;
    if (now < state.holdingSince + state.rule.forMs) return undefined;
    const { info } = state.rule;
    state.firing = {
      id: info.id,
      section: info.section,
      severity: info.severity,
      state: 'firing',
      ...(state.detail?.value === undefined ? {} : { value: state.detail.value }),
      since: new Date(state.holdingSince + state.rule.forMs).toISOString(),
      message: state.detail?.message ?? info.id,
    };
    return state.firing;
  }

  /**
   * A firing alert whose number or message moved (90 orders waiting, then 148): the same firing
   * (same `since`) said again with the new figures, so that no screen shows a number the data has
   * left behind. Nothing when they did not move.
   */
  private restate(state: RuleState, detail: Detail): AlertEvent | undefined {
    const firing = state.firing;
    if (!firing || (firing.value === detail.value && firing.message === detail.message)) {
      return undefined;
    }
    const restated: AlertEvent = { ...firing, message: detail.message };
    if (detail.value === undefined) delete restated.value;
    else restated.value = detail.value;
    state.firing = restated;
    return state.firing;
  }
}

/** The first row whose `column` is a number that passes `test`, with that number. */
function firstMatch(
  rows: readonly Row[],
  column: string,
  test: (value: number) => boolean,
): { row: Row; value: number } | undefined {
  for (const row of rows) {
    const value = numberOf(row[column]);
    if (value !== undefined && test(value)) return { row, value };
  }
  return undefined;
}

/** JSON numbers, and numbers sent as text (PostgreSQL numeric, bigint). */
function numberOf(cell: CellValue | undefined): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === 'string' && /^\s*-?\d+(\.\d+)?(e[+-]?\d+)?\s*$/i.test(cell))
    return Number(cell);
  return undefined;
}
