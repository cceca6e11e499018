import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time token check: both sides are hashed to equal-length digests and compared with
 * timingSafeEqual, and every configured token is compared, so timing reveals neither the token
 * nor which one matched.
 */
export function tokenChecker(tokens: readonly string[]): (presented: unknown) => boolean {
  const digests = tokens.map(digest);
  return (presented) => {
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > 4096) {
      return false;
    }
    const candidate = digest(presented);
    let match = false;
    for (const d of digests) match = timingSafeEqual(d, candidate) || match;
    return match;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The token of an `Authorization: Bearer TOKEN` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
