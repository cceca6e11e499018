/**
 * The engine.io internals this file relies on (not in engine.io's typings; stable across engine.io
 * 6): a connection's transport, its `writable` flag and `flush()`, which hands every queued packet
 * to the transport at once; the websocket transport's `ws` socket and its TCP socket.
 */
interface EngineConn {
  transport?: {
    name: string;
    writable: boolean;
    socket?: { _socket?: { cork(): void; uncork(): void } };
  };
  flush(): void;
}

/**
 * Several messages to one client in one write. Held, a websocket connection's packets wait in
 * engine.io's own queue instead of going out one write each; released, they leave in one
 * transport send under one cork of the TCP socket: one `writev` per client instead of one per
 * message. A connection that is busy already (a write in flight) or not on the websocket
 * transport is left alone: its packets queue in engine.io as usual.
 */
export class WriteHold {
  private held: EngineConn[] = [];

  /** Holds `conn`'s writes until release(); holding twice is holding once. */
  hold(conn: unknown): void {
    const engine = conn as EngineConn;
    const transport = engine.transport;
    if (transport?.name !== 'websocket' || !transport.writable) return;
    transport.writable = false;
    this.held.push(engine);
  }

  /** Sends what each held connection queued meanwhile, one write per connection. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const engine of held) {
      const transport = engine.transport;
      if (!transport) continue;
      transport.writable = true;
      const tcp = transport.socket?._socket;
      tcp?.cork();
      try {
        engine.flush();
      } finally {
        tcp?.uncork();
      }
    }
  }
}
