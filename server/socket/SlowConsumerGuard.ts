import type { SectionUpdate } from '../../common/protocol.js';
import { sectionRoom } from '../../common/protocol.js';
import type { OpsdeckIo } from './attachProtocol.js';
import { holdsVersion } from './heldVersions.js';
import { WriteHold } from './WriteHold.js';

/** Packets a client may have waiting in its engine.io queue before it is treated as slow. */
export const MAX_QUEUED_PACKETS = 8;

type Conn = {
  writeBuffer?: unknown[];
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
};
type GuardedSocket = ReturnType<OpsdeckIo['sockets']['sockets']['get']> & object;

/**
 * Keeps a slow client from growing server memory: an update is broadcast to the section's room
 * except the sockets whose outgoing queue is already full. Those are remembered, and when their
 * queue drains they get the latest snapshot of each section they missed: the newest state, never
 * a backlog of stale ones. Memory per slow client is bounded by MAX_QUEUED_PACKETS messages.
 */
export class SlowConsumerGuard {
  /** socket id -> sections whose latest snapshot it still needs. */
  private readonly behind = new Map<string, Set<string>>();
  /** section -> the newest version broadcast to its room. */
  private readonly broadcast = new Map<string, number>();

  constructor(
    private readonly io: OpsdeckIo,
    private readonly latest: (section: string) => SectionUpdate | undefined,
    private readonly counters: {
      sent(n: number): void;
      skipped(n: number): void;
      lagging(n: number): void;
    },
  ) {}

  /**
   * Emits to the room (encoded once, whatever the number of clients); returns the number of
   * clients it was sent to now.
   */
  emitUpdate(update: SectionUpdate): number {
    return this.emitUpdates([update]);
  }

  /**
   * Emits each update to its section's room, encoded once each; a client in several of these
   * rooms gets its messages in one write (WriteHold). The only per-client work besides is reading
   * each member's queue length and whether it holds this version already (a WeakMap lookup that
   * finds nothing for almost every socket: heldVersions). Returns the number of messages sent now.
   */
  emitUpdates(updates: readonly SectionUpdate[]): number {
    const hold = updates.length > 1 ? new WriteHold() : undefined;
    type Plan = { update: SectionUpdate; room: string; size: number; skipped: number };
    const plans: (Plan & { except?: string[] })[] = [];
    for (const update of updates) {
      if (update.version > this.broadcastVersion(update.section)) {
        this.broadcast.set(update.section, update.version);
      }
      const room = sectionRoom(update.section);
      const members = this.io.sockets.adapter.rooms.get(room);
      if (!members || members.size === 0) continue;
      const { skipped, holding } = this.skippedOf(members, update, hold);
      const except = [...(skipped ?? []), ...(holding ?? [])];
      plans.push({
        update,
        room,
        size: members.size,
        skipped: skipped?.length ?? 0,
        ...(except.length > 0 ? { except } : {}),
      });
    }
    let sent = 0;
    let skippedCount = 0;
    try {
      for (const { update, room, size, skipped, except } of plans) {
        // Local: in a cluster every node delivers to its own clients (see delivery/ClusterNode).
        const target = except ? this.io.local.to(room).except(except) : this.io.local.to(room);
        target.emit('update', update);
        sent += size - (except?.length ?? 0);
        skippedCount += skipped;
      }
    } finally {
      hold?.release();
    }
    this.counters.sent(sent);
    if (skippedCount > 0) this.counters.skipped(skippedCount);
    this.counters.lagging(this.behind.size);
    return sent;
  }

  /**
   * The members that must not get `update` now: behind already (it is noted for their catch-up)
   * or with a full queue (they fall behind now), and those holding this version already (sent by
   * their subscribe: heldVersions). The others' writes are held, when holding.
   */
  private skippedOf(
    members: ReadonlySet<string>,
    update: SectionUpdate,
    hold: WriteHold | undefined,
  ): { skipped: string[] | undefined; holding: string[] | undefined } {
    const { section, version } = update;
    const sockets = this.io.sockets.sockets;
    const behind = this.behind;
    let skipped: string[] | undefined;
    let holding: string[] | undefined;
    for (const id of members) {
      const pending = behind.size > 0 ? behind.get(id) : undefined;
      if (pending) {
        pending.add(section);
        (skipped ??= []).push(id);
        continue;
      }
      const socket = sockets.get(id);
      if (!socket) continue;
      if (holdsVersion(socket, section, version)) (holding ??= []).push(id);
      else if (queued(socket.conn as unknown as Conn) >= MAX_QUEUED_PACKETS) {
        this.markBehind(socket, section);
        (skipped ??= []).push(id);
      } else hold?.hold(socket.conn);
    }
    return { skipped, holding };
  }

  /** The newest version of `section` broadcast so far (0: none). */
  broadcastVersion(section: string): number {
    return this.broadcast.get(section) ?? 0;
  }

  /** Number of clients currently waiting to catch up (for tests and metrics). */
  get lagging(): number {
    return this.behind.size;
  }

  /**
   * Remembers a client that fell behind; when its queue drains it gets the latest snapshot of
   * each section it missed. Only such a client carries listeners of the guard's, and they go
   * with it (drain or disconnect, whichever comes first).
   */
  private markBehind(socket: GuardedSocket, section: string): void {
    const id = socket.id;
    const conn = socket.conn as unknown as Conn;
    this.behind.set(id, new Set([section]));
    const onDrain = () => {
      socket.off('disconnect', onGone);
      const sections = this.behind.get(id);
      this.behind.delete(id);
      this.counters.lagging(this.behind.size);
      if (!sections || !socket.connected) return;
      for (const s of sections) {
        const snapshot = this.latest(s);
        if (snapshot && socket.rooms.has(sectionRoom(s))) {
          socket.emit('update', snapshot);
          this.counters.sent(1);
        }
      }
    };
    const onGone = () => {
      conn.off('drain', onDrain);
      this.forget(id);
    };
    conn.once('drain', onDrain);
    socket.once('disconnect', onGone);
  }

  private forget(id: string): void {
    this.behind.delete(id);
    this.counters.lagging(this.behind.size);
  }
}

/**
 * engine.io keeps packets it could not hand to the transport yet in `writeBuffer` (not part of its
 * typings, stable across engine.io 6). Missing means nothing queued.
 */
function queued(conn: Conn): number {
  return conn.writeBuffer?.length ?? 0;
}
