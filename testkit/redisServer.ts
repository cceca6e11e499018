import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';

/** The machine's redis-server (Debian's package), or OPSDECK_REDIS_SERVER; undefined if missing. */
export function findRedisServer(): string | undefined {
  const candidates = [
    process.env.OPSDECK_REDIS_SERVER,
    ...(process.env.PATH ?? '').split(':').map((dir) => dir && join(dir, 'redis-server')),
    '/usr/bin/redis-server',
    '/usr/local/bin/redis-server',
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

/** Readiness on a loaded two-core machine: waited for, returns as soon as it answers. */
const READY_MS = 30_000;

export interface RedisProcess {
  port: number;
  /** Its log file (for a failing test's message). */
  logFile: string;
  readonly alive: boolean;
  /** SIGKILL (a paused process is continued first), resolved once it exited. */
  kill(): Promise<void>;
  /** A connection to it (the caller disconnects); connection errors surface in commands only. */
  connect(options?: RedisOptions): Redis;
  /** The last lines of its log. */
  logTail(lines?: number): string;
}

/**
 * Starts `redis-server <configFile> <args>` (a Sentinel with `--sentinel`), waits until it answers
 * PING (over TLS with `tls` options), and returns it. Without persistence unless the arguments say.
 */
export async function startRedisProcess(options: {
  port: number;
  dir: string;
  name: string;
  args: string[];
  configFile?: string;
  tls?: RedisOptions['tls'];
  /** Its requirepass: connect() and the readiness PING authenticate with it. */
  password?: string;
}): Promise<RedisProcess> {
  const binary = findRedisServer();
  if (!binary) throw new Error('redis-server not found (apt-get install redis-server)');
  const logFile = join(options.dir, `${options.name}.log`);
  const args = [
    ...(options.configFile ? [options.configFile] : []),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dir,
    '--logfile',
    logFile,
    ...options.args,
  ];
  const child: ChildProcess = spawn(binary, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: RedisProcess = {
    port: options.port,
    logFile,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    async kill() {
      if (!proc.alive) return;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    },
    connect(extra = {}) {
      const redis = new Redis({
        host: '127.0.0.1',
        port: options.port,
        maxRetriesPerRequest: 1,
        ...(options.tls ? { tls: options.tls } : {}),
        ...(options.password ? { password: options.password } : {}),
        ...extra,
      });
      // A killed node refuses connections: its callers see that in their commands' rejections.
      redis.on('error', () => undefined);
      return redis;
    },
    logTail(lines = 20) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
  const deadline = Date.now() + READY_MS;
  for (;;) {
    if (!proc.alive) {
      throw new Error(`redis-server ${options.name} exited: ${proc.logTail(5)}`);
    }
    if (await answers(proc)) return proc;
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`redis-server ${options.name} did not answer: ${proc.logTail(5)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function answers(proc: RedisProcess): Promise<boolean> {
  const redis = proc.connect({
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
