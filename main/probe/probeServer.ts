/**
 * The desktop app's connection probe: what really happens when Node connects to a server URL, one
 * step at a time (DNS lookup, TCP connect, TLS handshake, `GET /healthz`), with the error code of
 * the step that failed. A browser's fetch() hides all of this; the connect dialog asks for it over
 * IPC (`connection:probe`). Plain Node: no Electron, tested against real sockets.
 */
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type {
  ServerProbe,
  ServerProbeOutcome,
  ServerProbeStage,
} from '../../common/serverProbe.js';
import { readHttpAnswer } from './readHttpAnswer.js';

export interface ProbeOptions {
  /** Per step (DNS, TCP, TLS, HTTP); default 3 s (the dialog's whole test gets 8 s). */
  stepTimeoutMs?: number;
}

const DEFAULT_STEP_MS = 3000;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const ROUTE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN']);

class StepTimeout extends Error {
  constructor() {
    super('step timed out');
  }
}

type Facts = Partial<Omit<ServerProbe, 'outcome' | 'stage' | 'host' | 'port' | 'elapsedMs'>>;

/** Probes `url` (http or https); never rejects. */
export async function probeServer(url: string, options: ProbeOptions = {}): Promise<ServerProbe> {
  const started = Date.now();
  const stepMs = options.stepTimeoutMs ?? DEFAULT_STEP_MS;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('http://invalid');
  }
  const secure = parsed.protocol === 'https:';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(parsed.port || (secure ? 443 : 80));
  let address: string | undefined;
  const done = (outcome: ServerProbeOutcome, stage: ServerProbeStage, facts: Facts = {}) =>
    ({
      outcome,
      stage,
      host,
      port,
      ...(address !== undefined ? { address } : {}),
      ...facts,
      elapsedMs: Date.now() - started,
    }) satisfies ServerProbe;

  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return done('error', 'dns', { detail: 'not an http(s) URL' });
  }

  // 1. DNS
  try {
    address = isIP(host) ? host : (await withTimeout(lookup(host), stepMs)).address;
  } catch (error) {
    if (error instanceof StepTimeout) return done('timeout', 'dns');
    const facts = describe(error);
    return done(facts.code && DNS_CODES.has(facts.code) ? 'dns_failed' : 'error', 'dns', facts);
  }

  // 2. TCP
  let socket: Socket = netConnect({ host: address, port });
  try {
    await withTimeout(opened(socket, 'connect'), stepMs);
  } catch (error) {
    socket.destroy();
    if (error instanceof StepTimeout) return done('timeout', 'tcp');
    const facts = describe(error);
    const outcome =
      facts.code === 'ECONNREFUSED'
        ? 'refused'
        : facts.code && ROUTE_CODES.has(facts.code)
          ? 'no_route'
          : 'error';
    return done(outcome, 'tcp', facts);
  }

  const tcp = socket;
  try {
    // 3. TLS
    if (secure) {
      socket = tlsConnect({
        socket,
        ...(isIP(host) ? {} : { servername: host }),
        rejectUnauthorized: true,
        ALPNProtocols: ['http/1.1'],
      });
      try {
        await withTimeout(opened(socket, 'secureConnect'), stepMs);
      } catch (error) {
        if (error instanceof StepTimeout) return done('timeout', 'tls');
        return done('tls_failed', 'tls', describe(error));
      }
    }

    // 4. HTTP
    const answer = await readHttpAnswer(socket, parsed.host, stepMs);
    switch (answer.kind) {
      case 'silent':
        return done('timeout', 'http');
      case 'closed':
        return done('not_http', 'http', { detail: 'closed the connection without answering' });
      case 'error':
        return done('error', 'http', { code: answer.code, detail: answer.message });
      case 'not_http':
        return done('not_http', 'http', {
          ...(answer.sample ? { detail: answer.sample } : {}),
          ...(answer.tlsRecord && !secure ? { speaksTls: true } : {}),
        });
      case 'http': {
        const facts: Facts = {
          httpStatus: answer.status,
          ...(answer.server ? { server: answer.server } : {}),
        };
        return done(
          isOpsdeckHealth(answer.status, answer.body) ? 'opsdeck' : 'http_not_opsdeck',
          'http',
          facts,
        );
      }
    }
  } finally {
    socket.destroy();
    tcp.destroy();
  }
}

function isOpsdeckHealth(status: number, body: string): boolean {
  if (status !== 200) return false;
  try {
    return (JSON.parse(body) as { ok?: unknown } | null)?.ok === true;
  } catch {
    return false;
  }
}

/** Resolves once the socket emits `event`, rejects on its first error. */
function opened(socket: Socket, event: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
    socket.once(event, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

/** Rejects with StepTimeout after `ms` (the caller then destroys what it opened). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function describe(error: unknown): { code?: string; detail?: string } {
  const e = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof e.code === 'string' ? { code: e.code.slice(0, 100) } : {}),
    ...(typeof e.message === 'string' ? { detail: e.message.slice(0, 500) } : {}),
  };
}
