import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TestSocket } from './client.js';
import { startOpsdeck, type OpsdeckProcess } from './opsdeckProcess.js';

/**
 * One `opsdeck demo --port 0` process with its SQLite database in a temp folder of its own, and
 * the sockets a test opened on it with connect(). stop() closes them, stops the process and
 * removes the folder.
 */
export class DemoServer {
  /** Every socket opened with connect(), connected or not. */
  readonly sockets: TestSocket[] = [];

  private constructor(
    readonly process: OpsdeckProcess,
    private readonly dir: string,
  ) {}

  /** `rate` orders a minute from the simulated floor (0: none), its randomness from `seed`. */
  static async start(options: { seed: string; rate: number }): Promise<DemoServer> {
    const dir = mkdtempSync(join(tmpdir(), `opsdeck-${options.seed}-`));
    const args = ['demo', '--port', '0', '--rate', String(options.rate), '--seed', options.seed];
    try {
      return new DemoServer(await startOpsdeck([...args, '--db', join(dir, 'demo.db')]), dir);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get url(): string {
    return this.process.url;
  }

  /** A path in the server's temp folder (`demo.db` is its database). */
  file(name: string): string {
    return join(this.dir, name);
  }

  async connect(options?: Parameters<typeof connect>[1]): Promise<TestSocket> {
    const socket = await connect(this.url, options);
    this.sockets.push(socket);
    return socket;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.close();
    await this.process.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
