import type { AlertEvent, AlertSeverity } from '../../common/alerts.js';

/**
 * The alerts firing now, as this node knows them: decided here (the leader) or relayed from the
 * leader (a follower). What a subscriber is sent on subscribe, and what `/metrics` counts.
 */
export class AlertBook {
  private readonly byId = new Map<string, AlertEvent>();

  /**
   * Records a state change; false when it tells nothing new (the same firing again, or the
   * resolution of an alert that is not firing), so that it need not be passed on.
   */
  apply(event: AlertEvent): boolean {
    const current = this.byId.get(event.id);
    if (event.state === 'resolved') return this.byId.delete(event.id);
    if (current?.since === event.since && current.message === event.message) return false;
    this.byId.set(event.id, event);
    return true;
  }

  /** The firing alerts (of one section, when given), in the order they fired. */
  firing(section?: string): AlertEvent[] {
    const all = [...this.byId.values()];
    return section === undefined ? all : all.filter((e) => e.section === section);
  }

  /** Firing alerts per severity (every severity present, 0 when none). */
  countBySeverity(): Record<AlertSeverity, number> {
    const counts = { info: 0, warning: 0, critical: 0 } satisfies Record<AlertSeverity, number>;
    for (const event of this.byId.values()) counts[event.severity] += 1;
    return counts;
  }

  clear(): void {
    this.byId.clear();
  }
}
