import { createInterface } from 'node:readline';
import type { EmbeddedServerState } from '../../common/ipc.js';
import type { LaunchedProcess, ServerLauncher } from './launcher.js';

export interface SupervisorOptions {
  launcher: ServerLauncher;
  /** The server's entry (bin/opsdeck.js). */
  modulePath: string;
  /** Its arguments, e.g. `demo --host 127.0.0.1 --port 0 --token T --db FILE`. */
  args: string[];
  /** Reported in the state while running (the console connects with it). */
  token?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Where supervisor events and the child's output go (one line per call). */
  log?: (source: string, line: string) => void;
  /** Named in the give-up message. */
  logFile?: string;
  /** Restart delay: initialMs, doubled per recent failure, at most maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /** Stop restarting after this many failures within windowMs. */
  giveUp?: { failures: number; windowMs: number };
  /** A start that prints no `listening on` line within this time counts as a failure. */
  startTimeoutMs?: number;
  /** After SIGTERM, wait this long before SIGKILL. */
  stopTimeoutMs?: number;
  now?: () => number;
}

const LISTENING = /listening on (https?:\/\/\S+)/;
const TAIL_LINES = 5;

/**
 * Runs the embedded server and keeps it running: parses its `listening on URL` line, restarts it
 * after a crash with exponential backoff, gives up with a message after repeated failures, and
 * stops it (SIGTERM, then SIGKILL after a timeout) on quit. Every change is a new state object
 * for listeners (the console is told over IPC).
 */
export class ServerSupervisor {
  private state: EmbeddedServerState = { status: 'stopped', crashes: 0 };
  private readonly listeners = new Set<(state: EmbeddedServerState) => void>();
  private child: LaunchedProcess | undefined;
  private failures: number[] = [];
  private tail: string[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly giveUp: { failures: number; windowMs: number };
  private readonly now: () => number;

  constructor(private readonly options: SupervisorOptions) {
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 15_000 };
    this.giveUp = options.giveUp ?? { failures: 5, windowMs: 60_000 };
    this.now = options.now ?? Date.now;
  }

  getState(): EmbeddedServerState {
    return this.state;
  }

  onStateChange(listener: (state: EmbeddedServerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the server (also after `failed` or `stopped`), with a fresh failure count. */
  start(): void {
    if (this.child || this.stopping) return;
    this.clearTimers();
    this.failures = [];
    this.setState({ status: 'starting', crashes: this.state.crashes });
    this.launch();
  }

  /** Stops whatever runs and starts again (the console's "restart" after a give-up). */
  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /** Resolves once the state is neither starting nor restarting, or after `timeoutMs`. */
  whenSettled(timeoutMs: number): Promise<EmbeddedServerState> {
    const settled = (s: EmbeddedServerState) =>
      s.status !== 'starting' && s.status !== 'restarting';
    if (settled(this.state)) return Promise.resolve(this.state);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(this.state);
      }, timeoutMs);
      const off = this.onStateChange((s) => {
        if (!settled(s)) return;
        clearTimeout(timer);
        off();
        resolve(s);
      });
    });
  }

  /** SIGTERM, then SIGKILL after stopTimeoutMs; no restart afterwards. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop().finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.clearTimers();
    const child = this.child;
    if (child) {
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      this.log('supervisor', 'stopping the server (SIGTERM)');
      child.kill('SIGTERM');
      if (!(await within(exited, this.options.stopTimeoutMs ?? 5000))) {
        this.log('supervisor', 'the server did not stop in time; killing it (SIGKILL)');
        child.kill('SIGKILL');
        await within(exited, 5000);
      }
      this.child = undefined;
    }
    this.setState({ status: 'stopped', crashes: this.state.crashes });
  }

  private launch(): void {
    const { launcher, modulePath, args } = this.options;
    this.tail = [];
    this.log('supervisor', `starting ${modulePath} ${redact(args).join(' ')}`);
    let child: LaunchedProcess;
    try {
      child = launcher.launch(modulePath, args, {
        env: this.options.env ?? {},
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
        serviceName: 'Opsdeck server',
      });
    } catch (error) {
      this.onExit(undefined, null, `could not be started: ${String(error)}`);
      return;
    }
    this.child = child;
    const outputRead = Promise.all([
      this.readLines(child.stdout, 'server', (line) => this.onStdout(child, line)),
      this.readLines(child.stderr, 'server:stderr', (line) => this.remember(line)),
    ]);
    // The last output lines may arrive after 'exit': wait briefly so the message can quote them.
    child.on('exit', (code, signal) => {
      void Promise.race([outputRead, sleep(250)]).then(() => this.onExit(child, code, signal));
    });
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined;
      if (child !== this.child) return;
      this.log('supervisor', 'no "listening on" line in time; killing the server');
      child.kill('SIGKILL');
    }, this.options.startTimeoutMs ?? 60_000);
  }

  private onStdout(child: LaunchedProcess, line: string): void {
    const match = LISTENING.exec(line);
    if (!match?.[1] || child !== this.child || this.state.status === 'running') return;
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = undefined;
    this.setState({
      status: 'running',
      url: match[1],
      ...(this.options.token ? { token: this.options.token } : {}),
      crashes: this.state.crashes,
    });
  }

  /** Keeps the last meaningful error lines for the give-up message (no stack frames). */
  private remember(line: string): void {
    const text = line.trim();
    if (text === '' || text === '^' || /^at\s|^Node\.js v\d/.test(text)) return;
    this.tail = [...this.tail.slice(-(TAIL_LINES - 1)), text.slice(0, 300)];
  }

  private onExit(child: LaunchedProcess | undefined, code: number | null, signal: string | null) {
    if (child !== this.child) return;
    this.child = undefined;
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = undefined;
    if (this.stopping) return; // an exit we asked for
    const now = this.now();
    const how = code !== null ? `exit code ${code}` : signal ? `signal ${signal}` : 'no exit code';
    const last = this.tail.at(-1);
    const crashes = this.state.crashes + 1;
    this.failures = [...this.failures.filter((t) => now - t < this.giveUp.windowMs), now];
    this.log('supervisor', `the server stopped unexpectedly (${how})`);

    if (this.failures.length >= this.giveUp.failures) {
      const seconds = Math.round(this.giveUp.windowMs / 1000);
      const message =
        `The local demo server stopped ${this.failures.length} times within ${seconds} s ` +
        `and is not restarted again (last: ${how}${last ? `: ${last}` : ''}).` +
        (this.options.logFile ? ` Details are in ${this.options.logFile}.` : '');
      this.log('supervisor', `giving up: ${message}`);
      this.setState({ status: 'failed', message, crashes });
      return;
    }
    const exponent = this.failures.length - 1;
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** exponent);
    const message = `The local demo server stopped (${how}); restarting in ${formatSeconds(delay)}.`;
    this.log('supervisor', `restarting in ${delay} ms`);
    this.setState({ status: 'restarting', message, crashes, nextAttemptAt: now + delay });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.launch();
    }, delay);
  }

  /** Logs each line of `stream`; resolves when the stream has ended. */
  private readLines(
    stream: NodeJS.ReadableStream | null,
    source: string,
    onLine: (line: string) => void,
  ): Promise<void> {
    if (!stream) return Promise.resolve();
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      this.log(source, line);
      onLine(line);
    });
    return new Promise((resolve) => lines.once('close', resolve));
  }

  private clearTimers(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.startTimer) clearTimeout(this.startTimer);
    this.restartTimer = undefined;
    this.startTimer = undefined;
  }

  private setState(state: EmbeddedServerState): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }

  private log(source: string, line: string): void {
    this.options.log?.(source, line);
  }
}

/** Arguments for the log, with the token's value hidden (`--token VALUE` and `--token=VALUE`). */
export function redact(args: readonly string[]): string[] {
  return args.map((arg, i) =>
    args[i - 1] === '--token'
      ? '<redacted>'
      : arg.startsWith('--token=')
        ? '--token=<redacted>'
        : arg,
  );
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
