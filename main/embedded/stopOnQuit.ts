import { app } from 'electron';

/**
 * Quitting waits for the embedded server to stop (SIGTERM, then SIGKILL after a timeout): the
 * first before-quit is held, the server stopped, then the quit resumes. Resolves when done.
 */
export function stopOnQuit(stop: () => Promise<void>, cleanup: () => void): Promise<void> {
  let phase: 'running' | 'stopping' | 'done' = 'running';
  return new Promise((resolve) => {
    app.on('before-quit', (event) => {
      if (phase === 'done') return;
      event.preventDefault();
      if (phase === 'stopping') return;
      phase = 'stopping';
      void stop()
        .catch(() => undefined)
        .finally(() => {
          cleanup();
          phase = 'done';
          resolve();
          app.quit();
        });
    });
  });
}
