/**
 * What is wrong with a postgres:// or mysql:// URL that parses into something else than the user
 * meant, in words that never repeat the URL (it may hold a password). A password or user name with
 * `/`, `?` or `#` in it ends the user part early: the rest of the URL then reads as a host and a
 * path (`postgres://me:p/w@db/x` is host `me`, port `p`), and pieces of the password end up in
 * error messages and logs.
 */
const ENCODE_HINT =
  'percent-encode special characters in the user name and password (@ → %40, / → %2F, : → %3A, # → %23, ? → %3F, % → %25)';

export function databaseUrlProblem(url: string): string | undefined {
  if (!/^(postgres|postgresql|mysql|mariadb):\/\//.test(url)) return undefined; // sqlite:, etc.
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a valid URL: ${ENCODE_HINT}`;
  }
  if (`${parsed.pathname}${parsed.search}${parsed.hash}`.includes('@')) {
    return `the part before "@" is cut short by a "/", "?" or "#" in it: ${ENCODE_HINT}`;
  }
  return undefined;
}
