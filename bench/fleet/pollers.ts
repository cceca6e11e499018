/** HTTP dashboards of the replaced system: periodic pollers and one-shot request bursts. */
import http from 'node:http';
import { now } from '../lib/clock.js';
import { markersIn } from '../lib/salesDb.js';
import type { HttpOnceResult, PollerArgs } from './protocol.js';
import { counts, recordMarker } from './state.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let pollers: { stop: () => void }[] = [];

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode === 200) resolve(Buffer.concat(chunks).toString('utf8'));
        else reject(new Error(`HTTP ${res.statusCode ?? 0}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** A dashboard of the replaced system: GET /dashboard every period (fixed rate), random phase. */
export function startPollers(args: PollerArgs): void {
  const group = args.group ?? 'default';
  for (let i = 0; i < args.count; i++) {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let lastMarker = 0;
    let due = Date.now() + Math.random() * args.periodMs;
    const tick = () => {
      if (stopped) return;
      httpGet(`${args.url}/dashboard`)
        .then((body) => {
          const at = now();
          counts.polls += 1;
          const data = JSON.parse(body) as { recent?: Record<string, unknown>[] };
          for (const seq of markersIn(data.recent ?? [], lastMarker)) {
            recordMarker(group, seq, at);
            if (seq > lastMarker) lastMarker = seq;
          }
        })
        .catch(() => (counts.pollErrors += 1))
        .finally(() => {
          if (stopped) return;
          due += args.periodMs;
          timer = setTimeout(tick, Math.max(0, due - Date.now()));
        });
    };
    timer = setTimeout(tick, Math.max(0, due - Date.now()));
    pollers.push({
      stop: () => {
        stopped = true;
        clearTimeout(timer);
      },
    });
  }
}

export function stopPollers(): void {
  for (const p of pollers) p.stop();
  pollers = [];
}

export async function httpOnce(url: string, count: number): Promise<HttpOnceResult> {
  const result: HttpOnceResult = { ok: 0, failed: 0, times: [], firstError: undefined };
  await Promise.all(
    Array.from({ length: count }, async () => {
      try {
        await httpGet(`${url}/dashboard`);
        result.ok += 1;
        result.times.push(now());
      } catch (error) {
        result.failed += 1;
        result.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }),
  );
  return result;
}
