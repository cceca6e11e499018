import { InspectorClient } from '../../testkit/inspector.js';
import { waitFor } from './client.js';
import type { OpsdeckProcess } from './opsdeckProcess.js';

/** The environment that starts a process's V8 inspector on a free local port. */
export const INSPECT_ENV = { NODE_OPTIONS: '--inspect=127.0.0.1:0' };

/** Connects to the inspector of `proc` (started with INSPECT_ENV): its address is on stderr. */
export async function processInspector(proc: OpsdeckProcess): Promise<InspectorClient> {
  const url = await waitFor(
    'the inspector address',
    () => /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(proc.stderr())?.[0],
    10_000,
  );
  return InspectorClient.connect(url);
}
