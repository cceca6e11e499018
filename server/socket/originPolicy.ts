import type { IncomingMessage } from 'node:http';

/**
 * Browsers send an Origin header; other clients (socket.io-client in Node, curl) usually don't.
 * With an allow-list configured, a request whose Origin is not on it is refused; requests without
 * an Origin are allowed (tokens protect those).
 */
export function originAllowed(
  allowed: readonly string[] | undefined,
  origin: string | undefined,
): boolean {
  if (!allowed || allowed.length === 0 || origin === undefined) return true;
  return allowed.includes(origin) || allowed.includes('*');
}

export function requestOrigin(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  return typeof origin === 'string' ? origin : undefined;
}
