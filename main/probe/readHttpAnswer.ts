/**
 * One `GET /healthz` over an already connected socket, read by hand so that the probe sees the raw
 * bytes: an HTTP answer, something that is not HTTP (a database greeting, a TLS alert), a close
 * without a word, or silence. Plain Node.
 */
import type { Socket } from 'node:net';

export type HttpAnswer =
  | { kind: 'http'; status: number; server?: string; body: string }
  | { kind: 'not_http'; sample: string; tlsRecord: boolean }
  | { kind: 'closed' }
  | { kind: 'silent' }
  | { kind: 'error'; code?: string; message: string };

/** Enough for any /healthz answer; anything longer is not Opsdeck's. */
const MAX_BYTES = 64 * 1024;

export function readHttpAnswer(socket: Socket, hostHeader: string, timeoutMs: number) {
  return new Promise<HttpAnswer>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (answer: HttpAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', settle);
      socket.off('close', settle);
      socket.off('error', onError);
      socket.on('error', () => undefined); // the caller destroys it; late errors are moot
      resolve(answer);
    };
    function settle() {
      const bytes = Buffer.concat(chunks);
      finish(bytes.length === 0 ? { kind: 'closed' } : classify(bytes));
    }
    function onData(chunk: Buffer) {
      chunks.push(chunk);
      size += chunk.length;
      const bytes = Buffer.concat(chunks);
      if (size >= MAX_BYTES || complete(bytes)) finish(classify(bytes));
    }
    function onError(error: Error & { code?: string }) {
      // A reset after some bytes still tells what spoke; a reset before any is a close.
      if (chunks.length > 0 || error.code === 'ECONNRESET' || error.code === 'EPIPE') settle();
      else
        finish({
          kind: 'error',
          ...(error.code ? { code: error.code } : {}),
          message: error.message,
        });
    }
    const timer = setTimeout(() => {
      const bytes = Buffer.concat(chunks);
      finish(bytes.length === 0 ? { kind: 'silent' } : classify(bytes));
    }, timeoutMs);
    socket.on('data', onData);
    socket.on('end', settle);
    socket.on('close', settle);
    socket.on('error', onError);
    socket.write(
      `GET /healthz HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: opsdeck-probe\r\n` +
        'Accept: application/json\r\nConnection: close\r\n\r\n',
    );
  });
}

/** True once the headers and a Content-Length body (or a final chunk) have arrived. */
function complete(bytes: Buffer): boolean {
  const text = bytes.toString('latin1');
  if (!'HTTP/'.startsWith(text.slice(0, 5))) return true; // not HTTP: the first bytes tell
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = text.slice(0, end);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length?.[1]) return bytes.length - (end + 4) >= Number(length[1]);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return text.endsWith('\r\n0\r\n\r\n');
  return false; // ends at close
}

function classify(bytes: Buffer): HttpAnswer {
  const text = bytes.toString('latin1');
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(text);
  if (!status?.[1]) {
    return { kind: 'not_http', sample: printable(bytes), tlsRecord: isTlsRecord(bytes) };
  }
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  let body = end < 0 ? '' : text.slice(end + 4);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) body = unchunk(body);
  body = Buffer.from(body, 'latin1').toString('utf8');
  const server = /\r\nserver:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim().slice(0, 200);
  return { kind: 'http', status: Number(status[1]), ...(server ? { server } : {}), body };
}

/** A TLS record starts with its content type (0x15 alert, 0x16 handshake) and version 3.x. */
function isTlsRecord(bytes: Buffer): boolean {
  return (bytes[0] === 0x15 || bytes[0] === 0x16) && bytes[1] === 0x03;
}

function unchunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    if (line < 0) return out;
    const size = parseInt(rest.slice(0, line), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

/** The readable part of an answer, for people ("5.5.5-10.11.6-MariaDB", "-ERR unknown ..."). */
function printable(bytes: Buffer): string {
  return bytes
    .subarray(0, 512)
    .toString('latin1')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}
