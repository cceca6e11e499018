/**
 * The wire vocabulary of alerts and dashboards (docs/socketio.md `alert`, `catalog`; docs/config.md
 * `alerts:`, `dashboards:`). Types and a few pure values shared by the server and the console; the
 * configuration's zod schemas are in common/schemas.ts, the type tests in
 * test/types/alerts.typetest.ts.
 */

/** How much an alert matters, least first. */
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;

export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** `firing` while the rule's condition holds (past its `for:`); `resolved` once it stops. */
export type AlertState = 'firing' | 'resolved';

/**
 * The server's `alert` event: sent to a section's subscribers each time one of its rules changes
 * state, and (the firing ones) on subscribe. Within one firing, `id` + the firing's `since` name it.
 */
export interface AlertEvent {
  /** The rule's id (configuration `alerts[].id`). */
  id: string;
  section: string;
  severity: AlertSeverity;
  state: AlertState;
  /**
   * `<column> <op> <number>` rules: the matched number of the first matching row, as it was when
   * the alert fired (a resolved event repeats it). Absent for `no change for` and `failing`.
   */
  value?: number;
  /**
   * ISO 8601 UTC: when the alert entered this state (firing: when the condition had held for the
   * rule's `for:`; resolved: when it stopped holding).
   */
  since: string;
  /** For people: the rule's message with `{column}` filled from the first matching row. */
  message: string;
}

/** A rule as the `catalog` ack lists it (`alerts` of CatalogBody). */
export interface AlertRuleInfo {
  id: string;
  section: string;
  /** As configured: `open_orders > 50`, `no change for 30m` or `failing`. */
  when: string;
  /** As configured (`20s`, `2m`, `1h`): how long the condition must hold before it fires. */
  for?: string | undefined;
  severity: AlertSeverity;
}

/** A rule as the configuration file holds it: the catalog's fields and the message template. */
export interface AlertRule extends AlertRuleInfo {
  /** `{column}` placeholders are filled from the first matching row; default: generated. */
  message?: string | undefined;
}

/** A named page of sections (`dashboards:` in the configuration; `dashboards` of the catalog). */
export interface DashboardInfo {
  id: string;
  title: string;
  /** Section ids, in display order. */
  sections: string[];
}

/** Rule and dashboard ids: the configured sections' pattern. */
export const ALERT_ID_PATTERN = /^[a-z0-9_-]{1,64}$/;
