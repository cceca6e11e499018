/**
 * `postgres://user@host:5432/db`: a database URL without password or query string, for output and
 * logs. A URL whose user part was cut short by an unencoded `/`, `?` or `#` in the password (the
 * configuration refuses those; see databaseUrlProblem) shows only its scheme: any more could print
 * a piece of the password.
 */
export function describeDatabaseUrl(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    if (`${u.pathname}${u.search}${u.hash}`.includes('@')) return `${u.protocol}//(unreadable URL)`;
    const user = u.username ? `${u.username}@` : '';
    return `${u.protocol}//${user}${u.hostname}:${u.port || String(defaultPort)}${u.pathname}`;
  } catch {
    // Not a WHATWG URL (socket-directory forms): at least never print a password.
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1@').replace(/\?.*$/, '');
  }
}
