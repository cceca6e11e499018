/**
 * What "Test connection" takes and answers (see testConnection.ts): a URL and token in, either what
 * answers there or precisely what is wrong out.
 */
import type { ServerProbe } from '../../common/serverProbe.js';
import type { SocketFactory } from './opsdeckSocket.js';

export type TestFailureKind =
  | 'invalid_url'
  /** DNS has no address for the host name (known in Node and the desktop app only). */
  | 'host_not_found'
  /** Nothing listens on the port (known in Node and the desktop app only). */
  | 'refused'
  /** No connection, and the cause is unknown (a browser) or the network has no route. */
  | 'unreachable'
  /** A token is missing or refused (`token` says which). */
  | 'unauthorized'
  /** Something answered, but it is not an Opsdeck server. */
  | 'not_opsdeck'
  | 'tls'
  | 'timeout'
  | 'cancelled';

export interface TestSuccess {
  ok: true;
  /** The URL that was tested, normalized. */
  url: string;
  /** What the server calls itself in its catalog (`opsdeck`). */
  serverName: string;
  version: string;
  nodeId: string;
  /** Server processes in the cluster (1 for a single server). */
  nodes: number;
  /** Sections in the catalog, `$cluster` not counted. */
  sections: number;
  /** Round trip of a ping (or of the catalog request when the server has no ping). */
  rttMs: number;
}

export interface TestFailure {
  ok: false;
  kind: TestFailureKind;
  /** One or two sentences for people: what happened and what to try. */
  message: string;
  /** For `unauthorized`: was no token sent, or was the one sent refused? */
  token?: 'missing' | 'refused';
}

export type TestResult = TestSuccess | TestFailure;

/** A failure before the `ok: false`: what the diagnosis helpers return. */
export type FailureDiagnosis = Omit<TestFailure, 'ok'>;

export interface TestTarget {
  url: string;
  token?: string;
}

export interface TestOptions {
  signal?: AbortSignal;
  /** Whole test, from the first request to the answer (default 8 s). */
  timeoutMs?: number;
  socketFactory?: SocketFactory;
  /** The page's own URL, for the mixed-content check; defaults to `location` in a browser. */
  pageUrl?: string;
  /**
   * The desktop app's probe from outside the browser (DesktopBridge.probeServer): it names DNS,
   * refused, TLS and not-HTTP failures, which fetch() cannot. Used first when given; a probe that
   * rejects is ignored.
   */
  probeServer?: (url: string) => Promise<ServerProbe>;
}
