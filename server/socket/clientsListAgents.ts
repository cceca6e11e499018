import { USER_AGENT_MAX_LENGTH } from '../../common/clients.js';

/** Distinct User-Agent strings shared between connections; beyond it each keeps its own. */
const MAX_SHARED_AGENTS = 512;

/**
 * The User-Agent of each connection, the only thing the clients list needs that Socket.IO does
 * not keep: the opening HTTP request is let go as soon as the connection exists (OpsdeckServer's
 * dropRequest), so `remember` must see the engine.io connection first. A connection costs one
 * WeakMap entry (it goes with the connection) and, as most clients of a deployment send the same
 * few User-Agents, usually no string of its own: equal strings are shared.
 */
export class UserAgents {
  private readonly byConnection = new WeakMap<object, string>();
  private readonly shared = new Map<string, string>();

  /** An engine.io 'connection' listener: reads the header while the request is still there. */
  readonly remember = (raw: { request: unknown }): void => {
    const headers = (raw.request as { headers?: Record<string, unknown> } | null)?.headers;
    const header = headers?.['user-agent'];
    if (typeof header !== 'string' || header === '') return;
    this.byConnection.set(raw, this.share(clean(header)));
  };

  /** The User-Agent of an engine.io connection (`socket.conn`); '' when it sent none. */
  of(connection: object): string {
    return this.byConnection.get(connection) ?? '';
  }

  private share(agent: string): string {
    const known = this.shared.get(agent);
    if (known !== undefined) return known;
    if (this.shared.size < MAX_SHARED_AGENTS) this.shared.set(agent, agent);
    return agent;
  }
}

/** Printable and bounded: control characters become spaces, the rest is cut. */
function clean(header: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return header.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, USER_AGENT_MAX_LENGTH);
}
