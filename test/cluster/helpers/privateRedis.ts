import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../testkit/freePort.js';
import { waitFor } from '../../helpers/client.js';
import { REDIS_SERVER } from './requirements.js';

/** Readiness on a loaded two-core machine: waited for, returns as soon as it answers. */
const READY_MS = 30_000;

/**
 * A Redis of the test's own, on a free loopback port, without persistence: the test may pause,
 * kill and restart it without touching the machine's shared Redis on 6379.
 */
export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGSTOP: connections stay open but nothing answers. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** SIGKILL: connections are refused; every key is lost (no persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  if (!REDIS_SERVER) throw new Error('redis-server not found');
  const binary = REDIS_SERVER;
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const c = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--logfile',
        join(dir, 'redis.log'),
      ],
      { stdio: 'ignore' },
    );
    child = c;
    exited = new Promise((resolve) => c.once('exit', () => resolve()));
    const state = await waitFor(
      'redis-server to answer PING',
      async () => (c.exitCode !== null ? 'exited' : (await pong(port)) && 'up'),
      READY_MS,
      25,
    );
    if (state === 'exited') throw new Error(`redis-server exited with ${c.exitCode}`);
  };

  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGCONT'); // a paused process cannot act on anything else
    c.kill('SIGKILL');
    await exited;
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    kill,
    restart: launch,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when Redis answers PING on the port. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
  });
}
