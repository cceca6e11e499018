import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { LaunchedProcess, ServerLauncher } from './launcher.js';

/**
 * Runs the module with Node's `child_process.fork` (stdio piped, no IPC use): the launcher of the
 * supervisor's tests, and the same contract as the utilityProcess launcher.
 */
export const nodeLauncher: ServerLauncher = {
  launch(modulePath, args, options): LaunchedProcess {
    const child = fork(modulePath, args, {
      env: options.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const events = new EventEmitter();
    let ended = false;
    const end = (code: number | null, signal: string | null) => {
      if (ended) return;
      ended = true;
      events.emit('exit', code, signal);
    };
    child.on('exit', end);
    // A failed spawn emits 'error' and possibly no 'exit'.
    child.on('error', () => {
      if (child.pid === undefined) end(null, null);
    });
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      kill: (signal) => void child.kill(signal),
      on: (event, listener) => events.on(event, listener),
    };
  },
};
