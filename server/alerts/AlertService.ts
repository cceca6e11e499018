import { ALERT_SEVERITIES, type AlertEvent, type AlertRuleInfo } from '../../common/alerts.js';
import { sectionRoom } from '../../common/protocol.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics/Metrics.js';
import type { SectionEngine } from '../sections/SectionEngine.js';
import type { OpsdeckIo, SectionDirectory } from '../socket/attachProtocol.js';
import { AlertBook } from './AlertBook.js';
import { AlertEvaluator } from './AlertEvaluator.js';
import type { CompiledRule } from './compileRule.js';

export interface AlertServiceOptions {
  io: OpsdeckIo;
  rules: readonly CompiledRule[];
  /** This node's engine: its `update` and `status` events (it emits them only while leading). */
  engine: Pick<SectionEngine, 'on' | 'off'>;
  /** The current snapshots and statuses, to take over on becoming the leader. */
  directory: Pick<SectionDirectory, 'snapshot' | 'status'>;
  isLeader: () => boolean;
  /** In a cluster: the leader tells the other nodes (Redis adapter), they tell their clients. */
  relay: boolean;
  metrics: Metrics;
  log: Logger;
  /** How often time-based conditions are evaluated (ms); 1000 by default. */
  tickMs?: number;
  /**
   * In a cluster, how often the leader sends its whole firing set (ms), for nodes that joined or
   * missed a message; 10000 by default.
   */
  announceMs?: number;
}

/**
 * Alerts on one server process. The leader (a single node always leads) evaluates the rules
 * (AlertEvaluator) on its engine's updates and statuses and every tick, records the changes
 * (AlertBook), sends `alert` to the section's room on this node and, in a cluster, to the other
 * nodes (`opsdeck:alert`), which record and deliver them to their own clients. Every node sends its
 * firing alerts to a socket that joins a section's room (subscribe), right after the subscribe's
 * answer and snapshot.
 */
export class AlertService {
  private readonly book = new AlertBook();
  private evaluator: AlertEvaluator | undefined;
  private readonly rooms = new Map<string, string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly onUpdate: (update: Parameters<AlertEvaluator['update']>[0]) => void;
  private readonly onStatus: (status: Parameters<AlertEvaluator['status']>[0]) => void;

  constructor(private readonly options: AlertServiceOptions) {
    for (const { info } of options.rules) this.rooms.set(sectionRoom(info.section), info.section);
    this.onUpdate = (update) => {
      const evaluator = this.leading();
      if (evaluator) this.handle(evaluator.update(update, Date.now()));
    };
    this.onStatus = (status) => {
      const evaluator = this.leading();
      if (evaluator) this.handle(evaluator.status(status, Date.now()));
    };
  }

  /** The rules, as the catalog lists them. */
  catalog(): AlertRuleInfo[] {
    return this.options.rules.map((r) => r.info);
  }

  /** The firing alerts (of one section, when given). */
  firing(section?: string): AlertEvent[] {
    return this.book.firing(section);
  }

  /**
   * Evaluates the time-based conditions at `now` (the timer does it every second, at the clock's
   * time; tests pass a later time instead of waiting).
   */
  evaluateNow(now = Date.now()): void {
    const evaluator = this.leading();
    if (evaluator) this.handle(evaluator.tick(now));
  }

  start(): void {
    const { io, engine, metrics } = this.options;
    for (const severity of ALERT_SEVERITIES) {
      metrics.alertsFiring.set({ severity }, 0);
      metrics.alertsFired.inc({ severity }, 0);
    }
    if (this.options.rules.length === 0) return;
    engine.on('update', this.onUpdate);
    engine.on('status', this.onStatus);
    io.of('/').adapter.on('join-room', this.onJoin);
    if (this.options.relay) {
      io.on('opsdeck:alert', this.onRelayed);
      io.on('opsdeck:alerts', this.onAnnounced);
    }
    this.every(this.options.tickMs ?? 1000, () => this.evaluateNow());
    if (this.options.relay) {
      this.every(this.options.announceMs ?? 10_000, () => {
        if (this.evaluator) io.serverSideEmit('opsdeck:alerts', this.book.firing());
      });
    }
    this.leading();
  }

  stop(): void {
    const { io, engine } = this.options;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    engine.off('update', this.onUpdate);
    engine.off('status', this.onStatus);
    io.of('/').adapter.off('join-room', this.onJoin);
    if (this.options.relay) {
      io.off('opsdeck:alert', this.onRelayed);
      io.off('opsdeck:alerts', this.onAnnounced);
    }
  }

  /** The evaluator while this node leads: made (taking over what is known) when it starts to. */
  private leading(): AlertEvaluator | undefined {
    if (!this.options.isLeader()) {
      this.evaluator = undefined; // the new leader decides; its events come through onRelayed
      return undefined;
    }
    if (this.evaluator) return this.evaluator;
    const now = Date.now();
    const evaluator = new AlertEvaluator(this.options.rules, now);
    evaluator.adopt(this.book.firing());
    this.evaluator = evaluator;
    const events: AlertEvent[] = [];
    for (const section of new Set(this.rooms.values())) {
      const snapshot = this.options.directory.snapshot(section);
      if (snapshot) events.push(...evaluator.update(snapshot, now, Date.parse(snapshot.changedAt)));
      const status = this.options.directory.status(section);
      if (status) events.push(...evaluator.status(status, now));
    }
    events.push(...evaluator.tick(now));
    this.handle(events);
    return evaluator;
  }

  /** State changes decided here: recorded, delivered here and told to the other nodes. */
  private handle(events: readonly AlertEvent[]): void {
    for (const event of events) {
      if (!this.record(event)) continue;
      if (event.state === 'firing')
        this.options.metrics.alertsFired.inc({ severity: event.severity });
      if (this.options.relay) this.options.io.serverSideEmit('opsdeck:alert', event);
      this.options.log.info({ alert: event }, `alert ${event.id} ${event.state}`);
    }
  }

  /** From the leader (serverSideEmit reaches the other nodes only). */
  private readonly onRelayed = (event: AlertEvent): void => {
    if (this.options.isLeader()) return; // a late message from a deposed leader
    this.evaluator = undefined; // deposed since the last tick: the sender decides now
    this.record(event);
  };

  /**
   * The leader's whole firing set: what this node lacks fires here, what the leader no longer has
   * resolves here (a message lost while Redis was away, or a node that joined since).
   */
  private readonly onAnnounced = (firing: AlertEvent[]): void => {
    if (this.options.isLeader()) return;
    this.evaluator = undefined;
    const ids = new Set(firing.map((e) => e.id));
    const now = new Date().toISOString();
    for (const event of this.book.firing()) {
      if (!ids.has(event.id)) this.record({ ...event, state: 'resolved', since: now });
    }
    for (const event of firing) this.record(event);
  };

  /** Into the book and, when it is news, to the section's room on this node. */
  private record(event: AlertEvent): boolean {
    if (!this.book.apply(event)) return false;
    const { io, metrics } = this.options;
    const room = sectionRoom(event.section);
    io.local.to(room).emit('alert', event);
    metrics.messagesSent.inc(io.sockets.adapter.rooms.get(room)?.size ?? 0);
    const counts = this.book.countBySeverity();
    for (const severity of ALERT_SEVERITIES)
      metrics.alertsFiring.set({ severity }, counts[severity]);
    return true;
  }

  /** A socket subscribed to a section: its firing alerts, after the answer and the snapshot. */
  private readonly onJoin = (room: string, socketId: string): void => {
    const section = this.rooms.get(room);
    if (section === undefined) return;
    queueMicrotask(() => {
      const socket = this.options.io.sockets.sockets.get(socketId);
      if (!socket) return;
      for (const event of this.book.firing(section)) {
        socket.emit('alert', event);
        this.options.metrics.messagesSent.inc();
      }
    });
  };

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
