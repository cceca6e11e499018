import type { RedisTopology } from './redisTopology.js';

/** Node's certificate verification failures: the CA or the certificate is wrong, not the network. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/**
 * The problem in one line when retrying cannot fix `error` (a certificate that is not trusted, a
 * name mismatch, a refused client certificate, wrong credentials), naming the setting to fix;
 * undefined for everything a reconnect may cure (refused, reset, timed out, failing over).
 */
export function permanentRedisProblem(
  error: Error & { code?: unknown },
  topology: RedisTopology,
): string | undefined {
  const code = typeof error.code === 'string' ? error.code : '';
  const ca = topology.tls?.files.ca;
  const caSetting = ca ? `cluster.tls.ca (${ca})` : 'cluster.tls.ca (unset: the system CAs)';
  if (UNTRUSTED.has(code)) {
    return `TLS: Redis's certificate is not trusted (${code}: ${error.message}); check ${caSetting}`;
  }
  if (EXPIRED.has(code))
    return `TLS: Redis's certificate is not valid now (${code}: ${error.message})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS: Redis's certificate is for another name (${error.message})`;
  }
  if (code.startsWith('ERR_SSL_')) {
    const hint = /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|UNKNOWN_CA|BAD_CERTIFICATE/.test(code)
      ? '; Redis wants a client certificate it trusts: check cluster.tls.cert and cluster.tls.key'
      : /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/.test(code)
        ? ': is this port a TLS port? (rediss:// or cluster.tls on a plain port)'
        : '';
    return `TLS: handshake failed (${code})${hint}`;
  }
  const message = error.message;
  if (topology.kind === 'sentinel' && /No such master with that name/i.test(message)) {
    return `the sentinels monitor no primary named "${topology.name}": check cluster.sentinelName`;
  }
  if (/^(WRONGPASS|NOAUTH|NOPERM)\b/.test(message) || /invalid username-password/i.test(message)) {
    return `Redis refused the credentials (${message.split('\n')[0]})`;
  }
  return undefined;
}
