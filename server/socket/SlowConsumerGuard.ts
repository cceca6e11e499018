import type { SectionUpdate } from '../../common/protocol.js';
import { sectionRoom } from '../../common/protocol.js';
import type { OpsdeckIo } from './attachProtocol.js';

/** Packets a client may have waiting in its engine.io queue before it is treated as slow. */
export const MAX_QUEUED_PACKETS = 8;

type Conn = { writeBuffer?: unknown[]; once(event: 'drain', listener: () => void): unknown };

/**
 * Keeps a slow client from growing server memory: an update is broadcast to the section's room
 * except the sockets whose outgoing queue is already full. Those are remembered, and when their
 * queue drains they get the latest snapshot of each section they missed: the newest state, never
 * a backlog of stale ones. Memory per slow client is bounded by MAX_QUEUED_PACKETS messages.
 */
export class SlowConsumerGuard {
  /** socket id -> sections whose latest snapshot it still needs. */
  private readonly behind = new Map<string, Set<string>>();

  constructor(
    private readonly io: OpsdeckIo,
    private readonly latest: (section: string) => SectionUpdate | undefined,
    private readonly counters: {
      sent(n: number): void;
      skipped(n: number): void;
      lagging(n: number): void;
    },
  ) {}

  /** Emits to the room; returns the number of clients it was sent to now. */
  emitUpdate(update: SectionUpdate): number {
    const room = sectionRoom(update.section);
    const members = this.io.sockets.adapter.rooms.get(room);
    if (!members || members.size === 0) return 0;
    const skipped: string[] = [];
    for (const id of members) {
      const socket = this.io.sockets.sockets.get(id);
      if (!socket) continue;
      const pending = this.behind.get(id);
      if (pending) {
        pending.add(update.section);
        skipped.push(id);
      } else if (queued(socket.conn as unknown as Conn) >= MAX_QUEUED_PACKETS) {
        this.markBehind(id, socket.conn as unknown as Conn, update.section);
        skipped.push(id);
      }
    }
    // Local: in a cluster every node delivers to its own clients (see delivery/ClusterNode).
    const target =
      skipped.length > 0 ? this.io.local.to(room).except(skipped) : this.io.local.to(room);
    target.emit('update', update);
    const sent = members.size - skipped.length;
    this.counters.sent(sent);
    this.counters.skipped(skipped.length);
    this.counters.lagging(this.behind.size);
    return sent;
  }

  /** Number of clients currently waiting to catch up (for tests and metrics). */
  get lagging(): number {
    return this.behind.size;
  }

  private markBehind(id: string, conn: Conn, section: string): void {
    this.behind.set(id, new Set([section]));
    conn.once('drain', () => {
      const sections = this.behind.get(id);
      this.behind.delete(id);
      this.counters.lagging(this.behind.size);
      const socket = this.io.sockets.sockets.get(id);
      if (!sections || !socket) return;
      for (const s of sections) {
        const snapshot = this.latest(s);
        if (snapshot && socket.rooms.has(sectionRoom(s))) {
          socket.emit('update', snapshot);
          this.counters.sent(1);
        }
      }
    });
  }

  forget(id: string): void {
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
