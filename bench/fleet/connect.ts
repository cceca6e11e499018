/** Connects `args.count` clients of one kind, `args.concurrency` at a time. */
import { now } from '../lib/clock.js';
import { connectSio, connectWs } from './bareClients.js';
import { connectOpsdeck } from './opsdeckClient.js';
import type { ConnectArgs, ConnectResult } from './protocol.js';

export async function connect(args: ConnectArgs): Promise<ConnectResult> {
  const started = now();
  const timeoutMs = args.timeoutMs ?? 30_000;
  const concurrency = Math.max(1, args.concurrency ?? 100);
  let next = 0;
  let connected = 0;
  let failed = 0;
  let firstError: string | undefined;
  const one = (): Promise<void> => {
    switch (args.kind) {
      case 'opsdeck':
        return connectOpsdeck(args, timeoutMs);
      case 'sio':
        return connectSio(args, timeoutMs);
      case 'ws':
        return connectWs(args, timeoutMs);
    }
  };
  const lane = async (): Promise<void> => {
    while (next < args.count) {
      next += 1;
      try {
        await one();
        connected += 1;
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, args.count) }, lane));
  return { connected, failed, firstError, ms: now() - started };
}
