import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { TestSocket } from './client.js';

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/**
 * A stock socket.io-client with any options (TLS settings, a non-string token...), on the
 * websocket transport unless told otherwise; resolves once connected, rejects with the
 * `connect_error` error.
 */
export function connectWith(url: string, options: ClientOptions = {}): Promise<TestSocket> {
  const socket: TestSocket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 5000,
    ...options,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The error a connection attempt fails with; throws if it connects instead. */
export async function connectError(attempt: Promise<TestSocket>): Promise<Error> {
  let socket: TestSocket;
  try {
    socket = await attempt;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`connect_error with a non-Error value: ${String(error)}`, { cause: error });
  }
  socket.close();
  throw new Error('expected the connection to be refused, but it connected');
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One GET over node:http or node:https (by the URL's scheme), with any headers (Origin included,
 * which fetch would not send as given) and an optional CA for self-signed certificates.
 */
export function httpGet(
  url: string,
  options: { headers?: Record<string, string>; ca?: string; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'GET',
        headers: options.headers ?? {},
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
        timeout: options.timeoutMs ?? 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
