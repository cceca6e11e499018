import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupMaster } from '@socket.io/sticky';
import type { Logger } from '../log.js';

/** Set in the environment of the processes `serve --workers N` forks. */
export const WORKER_ENV = 'OPSDECK_WORKER';

/**
 * The primary of `opsdeck serve --workers N`: owns the port and hands each connection to a worker
 * with @socket.io/sticky, which keeps an HTTP long-polling session on the worker that created it
 * (websocket connections need no stickiness). Workers share snapshots and leadership through
 * Redis like any cluster nodes. A worker that dies is replaced (at most one restart a second).
 * Resolves with the exit code after SIGINT/SIGTERM.
 */
export async function runWorkerPool(
  count: number,
  host: string,
  port: number,
  log: Logger,
): Promise<number> {
  const http = createServer();
  setupMaster(http, { loadBalancingMethod: 'least-connection' });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolve());
  });
  // @socket.io/sticky passes the first request chunk as a Buffer over IPC: JSON would turn it into
  // a plain object, so the structured-clone serialization is required.
  cluster.setupPrimary({ serialization: 'advanced' });
  let stopping = false;
  let lastRestart = 0;
  const fork = (): Worker => cluster.fork({ [WORKER_ENV]: '1' });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.warn({ worker: worker.process.pid, code, signal }, 'worker exited; starting another');
    const wait = Math.max(0, lastRestart + 1000 - Date.now());
    lastRestart = Date.now() + wait;
    setTimeout(fork, wait).unref();
  });
  for (let i = 0; i < count; i++) fork();
  // Workers report readiness; print the line once they all serve.
  await new Promise<void>((resolve) => {
    let ready = 0;
    cluster.on('message', (_worker, message: unknown) => {
      if (message === 'opsdeck:ready' && ++ready === count) resolve();
    });
  });

  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      log.info({ signal }, 'stopping workers');
      const workers = Object.values(cluster.workers ?? {}).filter(
        (w): w is Worker => w !== undefined,
      );
      let left = workers.length;
      const done = () => {
        http.close(() => resolve(0));
        // Requests the primary still relays (long-polling POSTs) would hold close() open.
        http.closeAllConnections();
      };
      if (left === 0) done();
      for (const w of workers) {
        w.once('exit', () => --left === 0 && done());
        w.process.kill('SIGTERM');
      }
      setTimeout(() => {
        for (const w of workers) w.process.kill('SIGKILL');
      }, 10_000).unref();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const address = http.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    process.stdout.write(`listening on http://${shown}:${address.port}\n`);
    log.info({ workers: count, port: address.port }, 'listening');
  });
}
