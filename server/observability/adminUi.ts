import { instrument } from '@socket.io/admin-ui';
import type { Server } from 'socket.io';
import type { Logger } from '../log.js';
import type { OpsdeckIo } from '../socket/attachProtocol.js';
import { AdminSessions } from './AdminSessions.js';

/** The namespace the Admin UI connects to (its own basic auth; the protocol's tokens are for "/"). */
export const ADMIN_NAMESPACE = '/admin';

/** `observability.adminUi` of the configuration file, once enabled (docs/config.md). */
export interface AdminUiSettings {
  username: string;
  /** A bcrypt hash of the password (validated by the configuration schema). */
  passwordHash: string;
  /** True (the default): the Admin UI watches but cannot emit, join, leave or disconnect. */
  readonly: boolean;
}

export interface AdminUi {
  /** After Socket.IO closed: the Admin UI's stats timer (it has no stop) emits to nobody. */
  close(): void;
}

/**
 * Instruments the server for the official Socket.IO Admin UI (@socket.io/admin-ui) in production
 * mode: aggregated figures only (connections, disconnections, packets and bytes in and out, client
 * counts), every 2 s per node, under `serverId` = this node's id, so that every node of a cluster
 * shows (the stats go through the cluster's adapter). Development mode, which sends every socket
 * and event, is never used: it costs memory per socket and would show the handshakes.
 */
export function instrumentAdminUi(
  io: OpsdeckIo,
  settings: AdminUiSettings,
  nodeId: string,
  log: Logger,
): AdminUi {
  // instrument() is typed for a server with the default event maps; it sends none of ours.
  const server = io as unknown as Server;
  instrument(server, {
    namespaceName: ADMIN_NAMESPACE,
    auth: { type: 'basic', username: settings.username, password: settings.passwordHash },
    mode: 'production',
    readonly: settings.readonly,
    serverId: nodeId,
    store: new AdminSessions(),
  });
  log.info(
    { namespace: ADMIN_NAMESPACE, readonly: settings.readonly },
    'Socket.IO Admin UI instrumented',
  );
  const admin = server.of(ADMIN_NAMESPACE);
  return {
    close() {
      admin.emit = () => true;
    },
  };
}
