import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scope } from './scope.js';

/** The `opsdeck` command of this checkout. */
export const OPSDECK_BIN = fileURLToPath(new URL('../../../bin/opsdeck.js', import.meta.url));

/** A compiled script of the benchmark (`baselines/x.js`, `fleet/worker.js`). */
export function benchScript(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/** Every child process of the benchmark, so that nothing survives it (see killAllChildren). */
const live = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Last resort on exit, SIGINT or a crash: SIGKILL every child still running. */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

export interface ServerProcess {
  name: string;
  url: string;
  /** `ws://...` of the V8 inspector when started with `inspect`. */
  inspectorUrl: string | undefined;
  child: ChildProcess;
  pid: number;
  /** When the `listening on` line arrived (ms, see clock.now). */
  listeningAt: number;
  startedAt: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop: (graceMs?: number) => Promise<number | null>;
}

export interface StartOptions {
  name: string;
  /** Arguments after `node` (script first). */
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Start with the V8 inspector on a free loopback port (for forced GC and heap figures). */
  inspect?: boolean;
  timeoutMs?: number;
  scope?: Scope;
}

/**
 * Starts a server process and resolves once it prints `listening on URL` (and, with `inspect`,
 * the inspector's address). Registered for cleanup in the scope and in the global registry.
 */
export function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const startedAt = performance.timeOrigin + performance.now();
  const nodeArgs = options.inspect ? ['--inspect=127.0.0.1:0', ...options.args] : options.args;
  const child = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, OPSDECK_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async (graceMs = 10_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  options.scope?.defer(`stop ${options.name}`, () => stop(5000));

  return new Promise<ServerProcess>((resolve, reject) => {
    let url: string | undefined;
    let inspectorUrl: string | undefined;
    let listeningAt = 0;
    let settled = false;
    const timer = setTimeout(() => {
      fail(new Error(`${options.name} did not start within ${options.timeoutMs ?? 30_000} ms`));
    }, options.timeoutMs ?? 30_000);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(
          `${error.message}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`,
        ),
      );
    };
    const check = () => {
      if (settled || url === undefined) return;
      if (options.inspect && inspectorUrl === undefined) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        name: options.name,
        url,
        inspectorUrl,
        child,
        pid: child.pid ?? 0,
        listeningAt,
        startedAt,
        stdout: () => stdout,
        stderr: () => stderr,
        exited,
        stop,
      });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (url === undefined) {
        const match = /listening on (https?:\/\/\S+)/.exec(stdout);
        if (match?.[1]) {
          listeningAt = performance.timeOrigin + performance.now();
          url = match[1];
          check();
        }
      }
      if (stdout.length > 1_000_000) stdout = stdout.slice(-100_000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (inspectorUrl === undefined) {
        const match = /Debugger listening on (ws:\/\/\S+)/.exec(stderr);
        if (match?.[1]) {
          inspectorUrl = match[1];
          check();
        }
      }
      if (stderr.length > 1_000_000) stderr = stderr.slice(-100_000);
    });
    void exited.then((code) =>
      fail(new Error(`${options.name} exited with ${code} before listening`)),
    );
  });
}

/** `opsdeck <args>` as a server process. */
export function startOpsdeck(
  name: string,
  args: string[],
  options: Omit<StartOptions, 'name' | 'args'> = {},
): Promise<ServerProcess> {
  return startServerProcess({ name, args: [OPSDECK_BIN, ...args], ...options });
}

/** A baseline server of bench/baselines (`socketioServer`, `wsServer`, `pollingServer`). */
export function startBaseline(
  name: string,
  script: string,
  args: string[],
  options: Omit<StartOptions, 'name' | 'args'> = {},
): Promise<ServerProcess> {
  return startServerProcess({
    name,
    args: [benchScript(`baselines/${script}.js`), ...args],
    ...options,
  });
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

const CLOCK_TICKS = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
