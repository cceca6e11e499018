import { useCallback, useEffect, useRef, useState } from 'react';
import type { DesktopBridge } from '../../bridge/DesktopBridge.js';
import type { TestOptions, TestResult } from '../../live/connectionTestTypes.js';
import { testConnection } from '../../live/testConnection.js';

export type TestState =
  | { state: 'idle' }
  | { state: 'running'; urls: string[]; controller: AbortController }
  | { state: 'done'; results: { url: string; result: TestResult }[] };

/**
 * "Test connection" in the connect dialog: runs testConnection on every URL of the form at once,
 * and can be stopped (Cancel test, or a change to the inputs it was run with). A running test
 * stops when the dialog goes away. In the desktop app the bridge's probe names the failing step.
 */
export function useConnectionTest(bridge: Pick<DesktopBridge, 'probeServer'>) {
  const [test, setTest] = useState<TestState>({ state: 'idle' });
  const testRef = useRef<AbortController | undefined>(undefined);

  // A running test stops when the dialog goes away.
  useEffect(() => () => testRef.current?.abort(), []);

  /** Stops a running test. Its result then shows as cancelled unless `reset` clears it. */
  const stop = useCallback(() => {
    testRef.current?.abort();
    testRef.current = undefined;
  }, []);

  /** Stops a running test and forgets any result. */
  const reset = useCallback(() => {
    stop();
    setTest({ state: 'idle' });
  }, [stop]);

  /** Tests `urls` (the form's non-empty lines) with `token` (empty for none). */
  const run = useCallback(
    async (urls: string[], token: string) => {
      stop();
      if (urls.length === 0) {
        const message = 'Enter a server URL to test, for example http://localhost:3001.';
        setTest({
          state: 'done',
          results: [{ url: '', result: { ok: false, kind: 'invalid_url', message } }],
        });
        return;
      }
      const controller = new AbortController();
      testRef.current = controller;
      const options: TestOptions = {
        signal: controller.signal,
        ...(bridge.probeServer ? { probeServer: bridge.probeServer.bind(bridge) } : {}),
      };
      setTest({ state: 'running', urls, controller });
      const results = await Promise.all(
        urls.map(async (url) => ({
          url,
          result: await testConnection({ url, ...(token ? { token } : {}) }, options),
        })),
      );
      if (testRef.current === controller) testRef.current = undefined;
      // Cancelled with the button: show that. Stopped because the inputs changed: show nothing.
      setTest((current) =>
        current.state === 'running' && current.controller === controller
          ? { state: 'done', results }
          : current,
      );
    },
    [bridge, stop],
  );

  return { test, run, stop, reset };
}
