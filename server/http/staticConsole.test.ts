import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONSOLE_CSP } from '../../common/consoleAssets.js';
import { chooseEncoding, staticConsole } from './staticConsole.js';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-static-'));
/** A script big enough to be compressed, and very compressible. */
const SCRIPT = `export const rows = [${Array.from({ length: 2000 }, (_, i) => `{ id: ${i}, name: "row ${i}" }`).join(', ')}];\n`;
const TINY = 'export const x = 1;\n';
const INDEX = `<!doctype html><html><head><script type="module" src="./assets/app-abc.js"></script></head><body>${'<p>Opsdeck</p>'.repeat(200)}</body></html>`;
const PNG = Buffer.alloc(4096, 7);

let server: Server;
let base: string;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request over a real socket; the body as sent (node's http never decompresses). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body as the client reads it, decoded per Content-Encoding. */
function decoded(answer: Answer): string {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'gzip') return gunzipSync(answer.body).toString();
  if (encoding === 'br') return brotliDecompressSync(answer.body).toString();
  expect(encoding).toBeUndefined();
  return answer.body.toString();
}

/** Asks until the compressed form is there (the first request starts making it). */
async function compressed(path: string, acceptEncoding: string, expected: string) {
  return vi.waitFor(async () => {
    const answer = await get(path, { 'Accept-Encoding': acceptEncoding });
    expect(answer.headers['content-encoding']).toBe(expected);
    return answer;
  });
}

beforeAll(async () => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'app-abc.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'tiny-abc.js'), TINY);
  writeFileSync(join(dir, 'icon.png'), PNG);
  const handler = staticConsole(dir);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    void handler(req, res, path).then((done) => {
      if (!done) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('staticConsole compression', () => {
  it('serves gzip to a client that accepts only gzip, with the same headers otherwise', async () => {
    const answer = await compressed('/assets/app-abc.js', 'gzip', 'gzip');
    expect(answer.status).toBe(200);
    expect(decoded(answer)).toBe(SCRIPT);
    expect(answer.body.length).toBeLessThan(SCRIPT.length / 4);
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    expect(answer.headers.vary).toBe('Accept-Encoding');
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('prefers brotli when both are accepted, and honours q=0', async () => {
    const br = await compressed('/assets/app-abc.js', 'gzip, deflate, br', 'br');
    expect(decoded(br)).toBe(SCRIPT);
    expect(br.headers.vary).toBe('Accept-Encoding');
    const noBr = await get('/assets/app-abc.js', { 'Accept-Encoding': 'br;q=0, gzip' });
    expect(noBr.headers['content-encoding']).toBe('gzip');
    expect(decoded(noBr)).toBe(SCRIPT);
  });

  it('serves the file as it is without Accept-Encoding or with identity, and says it varies', async () => {
    await compressed('/assets/app-abc.js', 'gzip', 'gzip'); // the compressed forms exist
    for (const headers of [
      {},
      { 'Accept-Encoding': 'identity' },
      { 'Accept-Encoding': 'gzip;q=0' },
    ]) {
      const answer = await get('/assets/app-abc.js', headers);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.body.toString()).toBe(SCRIPT);
      expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(SCRIPT));
      expect(answer.headers.vary).toBe('Accept-Encoding');
    }
  });

  it('compresses index.html too, keeping its no-cache and CSP', async () => {
    const answer = await compressed('/', 'br', 'br');
    expect(decoded(answer)).toBe(INDEX);
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const full = await compressed('/assets/app-abc.js', 'gzip', 'gzip');
    const head = await get('/assets/app-abc.js', { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers.vary).toBe('Accept-Encoding');
    expect(head.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });

  it('leaves tiny files and images as they are', async () => {
    for (const [path, body] of [
      ['/assets/tiny-abc.js', Buffer.from(TINY)],
      ['/icon.png', PNG],
    ] as const) {
      // Asked twice: the second request would get a compressed form if one had been made.
      for (let i = 0; i < 2; i++) {
        const answer = await get(path, { 'Accept-Encoding': 'gzip, br' });
        expect(answer.headers['content-encoding']).toBeUndefined();
        expect(answer.headers.vary).toBeUndefined();
        expect(answer.body.equals(body)).toBe(true);
      }
    }
  });

  it('serves a rewritten file anew, compressed again', async () => {
    await compressed('/', 'gzip', 'gzip');
    const next = INDEX.replace('Opsdeck', 'Opsdeck, rebuilt');
    writeFileSync(join(dir, 'index.html'), next);
    const answer = await vi.waitFor(async () => {
      const a = await get('/', { 'Accept-Encoding': 'gzip' });
      expect(decoded(a)).toBe(next);
      expect(a.headers['content-encoding']).toBe('gzip');
      return a;
    });
    expect(answer.headers.vary).toBe('Accept-Encoding');
  });

  it('still refuses paths outside the console folder and unknown files', async () => {
    expect((await get('/../../etc/passwd.js')).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/etc/hosts.js')).status).toBe(404);
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
  });
});

describe('chooseEncoding', () => {
  it('picks the accepted encoding with the highest q-value, brotli on a tie', () => {
    expect(chooseEncoding(undefined)).toBeUndefined();
    expect(chooseEncoding('')).toBeUndefined();
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('GZIP, BR')).toBe('br');
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0.1, br;q=0')).toBe('gzip');
    expect(chooseEncoding('br;q=nonsense, gzip')).toBe('gzip');
    expect(chooseEncoding(['gzip', 'br;q=0.1'])).toBe('gzip');
    expect(chooseEncoding('gzip, br', ['gzip'])).toBe('gzip');
    expect(chooseEncoding('br', ['gzip'])).toBeUndefined();
  });
});
