import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/opsdeck.js', import.meta.url));

export interface OpsdeckProcess {
  url: string;
  child: ChildProcess;
  /** Everything written to standard output and standard error so far. */
  stdout: () => string;
  stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  exited: Promise<number | null>;
}

/** `node bin/opsdeck.js <args>` with warn-level logs, stdout and stderr piped. */
function spawnOpsdeck(args: string[], env: NodeJS.ProcessEnv, cwd: string | undefined) {
  return spawn(process.execPath, [BIN, ...args], {
    ...(cwd ? { cwd } : {}),
    env: { ...process.env, OPSDECK_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `opsdeck <args>` to completion: exit code and output. */
export function runOpsdeck(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 20_000,
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnOpsdeck(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`opsdeck ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    // 'close', not 'exit': at 'exit' the pipes may still hold output not read yet (seen under
    // load: a `--help` that printed its text read back as '').
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a server command (`demo`, `serve`) and resolves once it prints `listening on URL`. */
export function startOpsdeck(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 20_000,
  cwd?: string,
): Promise<OpsdeckProcess> {
  const child = spawnOpsdeck(args, env, cwd);
  let stdout = '';
  let stderr = '';
  // 'exit', not 'close': a server's forked workers may hold its pipes open after it is gone.
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`opsdeck ${args.join(' ')} did not start\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          stdout: () => stdout,
          stderr: () => stderr,
          exited,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `opsdeck ${args.join(' ')} exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    });
  });
}
