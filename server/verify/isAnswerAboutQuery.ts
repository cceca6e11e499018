/**
 * Whether an error is the database's verdict on a query (a SQLSTATE such as 42P01 "relation does
 * not exist") rather than the database not answering (a refused or dropped connection, a client
 * timeout, SQLSTATE class 08 "connection exception" or 57P "operator intervention": shutting
 * down). A verification that plans each section's query must not blame the query for the second:
 * it stops and is tried again later.
 */
export function isAnswerAboutQuery(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return !code.startsWith('08') && !code.startsWith('57P');
}
