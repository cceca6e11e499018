/** socket.io-client's connect errors in words for people. */
export function describeConnectError(error: Error): string {
  const message = error.message || 'connection failed';
  if (/timeout/i.test(message)) return 'the server did not answer in time';
  if (/websocket error|xhr poll error|transport/i.test(message))
    return 'the server cannot be reached';
  return message;
}
