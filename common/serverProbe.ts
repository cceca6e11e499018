/**
 * What the desktop app's main process learns when it probes a server URL from Node (DNS, TCP,
 * TLS, then `GET /healthz`): the step that decided and the real error code, which a browser never
 * exposes. Produced by main/probe/probeServer.ts, carried by the `connection:probe` IPC channel,
 * validated with `serverProbeSchema` where it arrives (renderer/bridge/electronBridge.ts).
 */
import { z } from 'zod';

export const SERVER_PROBE_OUTCOMES = [
  /** `GET /healthz` answered 200 `{"ok":true}`: it looks like an Opsdeck server. */
  'opsdeck',
  /** The host name did not resolve (ENOTFOUND, EAI_AGAIN, EAI_FAIL, ...). */
  'dns_failed',
  /** The host answered the TCP connection with a refusal: nothing listens on that port. */
  'refused',
  /** No route to the host (EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL). */
  'no_route',
  /** A step took too long (`stage` says which): dropped packets, a firewall, a silent service. */
  'timeout',
  /** The TLS handshake failed (`code`: the certificate problem, or no TLS on that port). */
  'tls_failed',
  /** TCP connected, but what came back (or nothing, then close) is not HTTP. */
  'not_http',
  /** HTTP answered, but `/healthz` is not Opsdeck's (`httpStatus`, `server`). */
  'http_not_opsdeck',
  /** Anything else (`code`, `detail`). */
  'error',
] as const;

export type ServerProbeOutcome = (typeof SERVER_PROBE_OUTCOMES)[number];
export type ServerProbeStage = 'dns' | 'tcp' | 'tls' | 'http';

export interface ServerProbe {
  outcome: ServerProbeOutcome;
  /** The step that decided the outcome. */
  stage: ServerProbeStage;
  host: string;
  port: number;
  /** The address the host name resolved to, once known. */
  address?: string | undefined;
  /** Node's error code (ENOTFOUND, ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ...). */
  code?: string | undefined;
  /** Node's error message, or the start of a non-HTTP answer (printable characters only). */
  detail?: string | undefined;
  /** The answer was a TLS record although the URL says http:// (the server wants https://). */
  speaksTls?: boolean | undefined;
  httpStatus?: number | undefined;
  /** The HTTP `Server` header, when there is one. */
  server?: string | undefined;
  elapsedMs: number;
}

const text = (max: number) => z.string().max(max);

export const serverProbeSchema = z.strictObject({
  outcome: z.enum(SERVER_PROBE_OUTCOMES),
  stage: z.enum(['dns', 'tcp', 'tls', 'http']),
  host: text(512),
  port: z.number().int().min(0).max(65535),
  address: text(100).optional(),
  code: text(100).optional(),
  detail: text(500).optional(),
  speaksTls: z.boolean().optional(),
  httpStatus: z.number().int().min(100).max(999).optional(),
  server: text(200).optional(),
  elapsedMs: z.number().min(0).max(600_000),
}) satisfies z.ZodType<ServerProbe>;
