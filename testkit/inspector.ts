import WebSocket from 'ws';

/** A `ws` message as text, whatever shape the library delivered it in. */
function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface HeapFigures {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/**
 * A minimal Chrome DevTools Protocol client for a Node process started with
 * `--inspect=127.0.0.1:0`: forces full garbage collections and reads process.memoryUsage().
 * This is how the benchmark measures a server's heap after GC without changing the product.
 */
export class InspectorClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(rawText(data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (message.id === undefined) return;
      const entry = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!entry) return;
      if (message.error) entry.reject(new Error(message.error.message));
      else entry.resolve(message.result);
    });
    socket.on('close', () => {
      for (const entry of this.pending.values()) entry.reject(new Error('inspector closed'));
      this.pending.clear();
    });
  }

  static connect(url: string, timeoutMs = 10_000): Promise<InspectorClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
      socket.once('open', () => resolve(new InspectorClient(socket)));
      socket.once('error', reject);
    });
  }

  send(method: string, params: object = {}, timeoutMs = 30_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`inspector ${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async memoryUsage(): Promise<HeapFigures> {
    const result = (await this.send('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    return JSON.parse(result.result.value) as HeapFigures;
  }

  /**
   * Forces full collections (twice, a short pause between, so finalizers and weak callbacks run)
   * and returns the smallest heap of `samples` readings.
   */
  async heapAfterGc(samples = 3): Promise<HeapFigures> {
    let best: HeapFigures | undefined;
    for (let i = 0; i < samples; i++) {
      await this.send('HeapProfiler.collectGarbage');
      await sleep(100);
      await this.send('HeapProfiler.collectGarbage');
      const figures = await this.memoryUsage();
      if (!best || figures.heapUsed < best.heapUsed) best = figures;
      await sleep(200);
    }
    if (!best) throw new Error('no heap sample');
    return best;
  }

  close(): void {
    this.socket.close();
  }
}
