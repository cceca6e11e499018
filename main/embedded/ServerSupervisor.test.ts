/**
 * The supervisor with real child processes (Node's fork, the same contract as utilityProcess):
 * a fake server that crashes on demand (test/fixtures/fakeServer.js) and the real `opsdeck demo`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmbeddedServerState } from '../../common/ipc.js';
import { RotatingLog } from '../log/RotatingLog.js';
import { childEnv } from './launcher.js';
import { nodeLauncher } from './nodeLauncher.js';
import { ServerSupervisor, redact, type SupervisorOptions } from './ServerSupervisor.js';

const FAKE_SERVER = fileURLToPath(new URL('../../test/fixtures/fakeServer.js', import.meta.url));
const OPSDECK_BIN = fileURLToPath(new URL('../../bin/opsdeck.js', import.meta.url));

let dir: string;
let flag: string;
const supervisors: ServerSupervisor[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-supervisor-'));
  flag = join(dir, 'crash.flag');
});

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function supervise(
  options: Partial<SupervisorOptions> = {},
  env: Record<string, string> = {},
): { supervisor: ServerSupervisor; states: EmbeddedServerState[]; lines: string[] } {
  const states: EmbeddedServerState[] = [];
  const lines: string[] = [];
  const supervisor = new ServerSupervisor({
    launcher: nodeLauncher,
    modulePath: FAKE_SERVER,
    args: [],
    token: 'secret-token',
    env: childEnv({ FAKE_CRASH_FLAG: flag, ...env }),
    log: (source, line) => lines.push(`[${source}] ${line}`),
    backoff: { initialMs: 100, maxMs: 1000 },
    giveUp: { failures: 3, windowMs: 30_000 },
    ...options,
  });
  supervisor.onStateChange((s) => states.push(s));
  supervisors.push(supervisor);
  return { supervisor, states, lines };
}

function waitFor(
  supervisor: ServerSupervisor,
  predicate: (s: EmbeddedServerState) => boolean,
  timeoutMs = 20_000,
): Promise<EmbeddedServerState> {
  if (predicate(supervisor.getState())) return Promise.resolve(supervisor.getState());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out; state ${JSON.stringify(supervisor.getState())}`));
    }, timeoutMs);
    const off = supervisor.onStateChange((s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

describe('ServerSupervisor', () => {
  it('starts the server and reports its URL and token from the `listening on` line', async () => {
    const { supervisor, states } = supervise();
    supervisor.start();
    expect(supervisor.getState().status).toBe('starting');
    const running = await waitFor(supervisor, (s) => s.status === 'running');
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.token).toBe('secret-token');
    expect(await answers(running.url!)).toBe(true);
    expect(states.map((s) => s.status)).toEqual(['starting', 'running']);
    expect(await supervisor.whenSettled(100)).toBe(running);
  });

  it('restarts the server after a crash, after the backoff delay, on a new process', async () => {
    const { supervisor, states, lines } = supervise();
    supervisor.start();
    const first = await waitFor(supervisor, (s) => s.status === 'running');

    writeFileSync(flag, 'once');
    const restarting = await waitFor(supervisor, (s) => s.status === 'restarting');
    const crashedAt = Date.now();
    expect(restarting.message).toMatch(/stopped \(exit code 3\); restarting in 100 ms/);
    expect(restarting.crashes).toBe(1);
    expect(restarting.url).toBeUndefined();
    expect(restarting.nextAttemptAt).toBeGreaterThan(0);

    const second = await waitFor(supervisor, (s) => s.status === 'running');
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(90);
    expect(second.crashes).toBe(1);
    expect(second.url).not.toBe(first.url);
    expect(await answers(second.url!)).toBe(true);
    expect(await answers(first.url!)).toBe(false);
    expect(states.map((s) => s.status)).toEqual(['starting', 'running', 'restarting', 'running']);
    expect(lines.some((l) => l.includes('[server:stderr] fatal: crash requested'))).toBe(true);
  });

  it('backs off exponentially and gives up with a clear message after repeated failures', async () => {
    writeFileSync(flag, 'always');
    const { supervisor, states } = supervise({ logFile: '/logs/opsdeck.log' });
    supervisor.start();
    const failed = await waitFor(supervisor, (s) => s.status === 'failed');

    const delays = states
      .filter((s) => s.status === 'restarting')
      .map((s) => /restarting in (\d+) ms/.exec(s.message ?? '')?.[1]);
    expect(delays).toEqual(['100', '200']);
    expect(failed.crashes).toBe(3);
    expect(failed.message).toContain('stopped 3 times within 30 s and is not restarted again');
    expect(failed.message).toContain('exit code 3: fatal: crash requested at start');
    expect(failed.message).toContain('Details are in /logs/opsdeck.log');

    // No further attempt once failed; a manual restart starts again with a fresh count.
    await new Promise((r) => setTimeout(r, 500));
    expect(supervisor.getState().status).toBe('failed');
    rmSync(flag);
    await supervisor.restart();
    const running = await waitFor(supervisor, (s) => s.status === 'running');
    expect(running.crashes).toBe(3);
  });

  it('counts a start without a `listening on` line in time as a failure', async () => {
    writeFileSync(flag, 'silent');
    const { supervisor, lines } = supervise({
      startTimeoutMs: 400,
      giveUp: { failures: 1, windowMs: 30_000 },
    });
    supervisor.start();
    const failed = await waitFor(supervisor, (s) => s.status === 'failed');
    expect(failed.message).toContain('signal SIGKILL');
    expect(lines).toContain('[supervisor] no "listening on" line in time; killing the server');
  });

  it('stops cleanly: SIGTERM, the process is gone, no restart follows', async () => {
    const { supervisor, states, lines } = supervise();
    supervisor.start();
    const { url } = await waitFor(supervisor, (s) => s.status === 'running');
    await supervisor.stop();
    expect(supervisor.getState().status).toBe('stopped');
    expect(await answers(url!)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(states.map((s) => s.status)).toEqual(['starting', 'running', 'stopped']);
    expect(lines).toContain('[supervisor] stopping the server (SIGTERM)');
    expect(lines.some((l) => l.includes('SIGKILL'))).toBe(false);
  });

  it('kills a server that ignores SIGTERM after the stop timeout', async () => {
    const { supervisor, lines } = supervise({ stopTimeoutMs: 300 }, { FAKE_IGNORE_SIGTERM: '1' });
    supervisor.start();
    const { url } = await waitFor(supervisor, (s) => s.status === 'running');
    const started = Date.now();
    await supervisor.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(lines).toContain('[supervisor] the server did not stop in time; killing it (SIGKILL)');
    expect(await answers(url!)).toBe(false);
    expect(supervisor.getState().status).toBe('stopped');
  });

  it('stops a pending restart', async () => {
    const { supervisor } = supervise({ backoff: { initialMs: 300, maxMs: 300 } });
    supervisor.start();
    await waitFor(supervisor, (s) => s.status === 'running');
    writeFileSync(flag, 'once');
    await waitFor(supervisor, (s) => s.status === 'restarting');
    await supervisor.stop();
    await new Promise((r) => setTimeout(r, 500));
    expect(supervisor.getState().status).toBe('stopped');
  });

  it('runs the real `opsdeck demo` and logs to a rotated file without the token', async () => {
    const token = randomBytes(18).toString('base64url');
    const log = new RotatingLog(join(dir, 'logs', 'opsdeck.log'));
    const lines: string[] = [];
    const { supervisor } = supervise({
      modulePath: OPSDECK_BIN,
      args: [
        'demo',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        // One argument: a base64url token may start with '-', which would read as an option.
        `--token=${token}`,
        '--db',
        join(dir, 'demo.db'),
      ],
      token,
      env: childEnv({ OPSDECK_LOG_LEVEL: 'info' }),
      log: (source, line) => {
        lines.push(`[${source}] ${line}`);
        log.write(source, line);
      },
    });
    supervisor.start();
    const running = await waitFor(supervisor, (s) => s.status === 'running', 20_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n${lines.join('\n')}`);
      },
    );
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.token).toBe(token);

    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${running.url!}${path}`, { headers, signal: AbortSignal.timeout(5000) });
    expect(await (await get('/healthz')).json()).toEqual({ ok: true });
    expect((await get('/api/sections')).status).toBe(401);
    expect((await get('/api/sections', { Authorization: `Bearer ${token}` })).status).toBe(200);

    await supervisor.stop();
    log.close();
    const text = readFileSync(log.file, 'utf8');
    expect(text).toContain(`[server] listening on ${running.url!}`);
    expect(text).toContain('--token=<redacted>');
    expect(text).not.toContain(token);
  });
});

describe('redact', () => {
  it('hides the value after --token', () => {
    expect(redact(['demo', '--token', 'abc', '--port', '0'])).toEqual([
      'demo',
      '--token',
      '<redacted>',
      '--port',
      '0',
    ]);
    expect(redact(['demo', '--token=-abc'])).toEqual(['demo', '--token=<redacted>']);
  });
});
