import type { io, Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../common/protocol.js';

/** A socket.io-client socket speaking the Opsdeck protocol (common/protocol.ts). */
export type OpsdeckSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Makes the socket to a server (io() unless a test says otherwise). */
export type SocketFactory = (url: string, options: Parameters<typeof io>[1]) => OpsdeckSocket;
