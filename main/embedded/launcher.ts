/**
 * How the supervisor starts the embedded server: an Electron utilityProcess in the app
 * (utilityLauncher.ts), a plain Node child process in tests and tools (nodeLauncher.ts).
 */

export type StopSignal = 'SIGTERM' | 'SIGKILL';

export interface LaunchedProcess {
  /** Piped standard output (null if the launcher could not pipe it). */
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Asks the process to stop (SIGTERM: graceful) or ends it (SIGKILL). */
  kill(signal: StopSignal): void;
  /** Called once when the process has ended, also when it could not be started. */
  on(event: 'exit', listener: (code: number | null, signal: string | null) => void): unknown;
}

export interface LaunchOptions {
  env: Record<string, string>;
  cwd?: string;
  /** Process name shown by the OS / Electron's process metrics. */
  serviceName: string;
}

export interface ServerLauncher {
  launch(modulePath: string, args: string[], options: LaunchOptions): LaunchedProcess;
}

/** process.env without unset entries, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, ...extra };
}
