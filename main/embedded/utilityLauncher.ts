import { EventEmitter } from 'node:events';
import { utilityProcess } from 'electron';
import type { LaunchedProcess, ServerLauncher } from './launcher.js';

/**
 * Runs the module in an Electron utilityProcess (a Chromium-managed Node child): database work and
 * JSON encoding never block the window, and a crash is contained. stdout/stderr are piped to the
 * supervisor. utilityProcess.kill() sends SIGTERM on POSIX; SIGKILL goes through the pid.
 */
export const utilityLauncher: ServerLauncher = {
  launch(modulePath, args, options): LaunchedProcess {
    const child = utilityProcess.fork(modulePath, args, {
      env: options.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: 'pipe',
      serviceName: options.serviceName,
    });
    const events = new EventEmitter();
    child.once('exit', (code) => events.emit('exit', code, null));
    return {
      // Read once: Electron sets them to null after the exit event.
      stdout: child.stdout,
      stderr: child.stderr,
      kill(signal) {
        if (signal === 'SIGKILL' && child.pid !== undefined) {
          try {
            process.kill(child.pid, 'SIGKILL');
            return;
          } catch {
            // already gone: fall through to kill()
          }
        }
        child.kill();
      },
      on: (event, listener) => events.on(event, listener),
    };
  },
};
