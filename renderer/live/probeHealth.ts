/**
 * The first step of "Test connection": is anything there at all, and does it look like Opsdeck?
 * Plain TypeScript: no React.
 */

export type HealthProbe =
  | { reachable: false; detail?: string; code?: string }
  /** `healthy`: /healthz answered Opsdeck's `{"ok":true}`; undefined when the answer is opaque (cross-origin). */
  | { reachable: true; healthy: boolean | undefined };

/**
 * GET /healthz without CORS: in a browser the answer to another origin is opaque, but whether there
 * was one at all still tells "nothing there" from "something there". Where the answer is readable
 * (same origin, Node, Electron main) it also tells whether that something looks like Opsdeck.
 */
export async function probeHealth(url: string, signal: AbortSignal): Promise<HealthProbe> {
  let response: Response;
  try {
    response = await fetch(`${url}/healthz`, {
      mode: 'no-cors',
      signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    return {
      reachable: false,
      ...(typeof cause?.message === 'string' ? { detail: cause.message } : {}),
      ...(typeof cause?.code === 'string' ? { code: cause.code } : {}),
    };
  }
  if (response.type === 'opaque') return { reachable: true, healthy: undefined };
  try {
    const body: unknown = await response.json();
    return {
      reachable: true,
      healthy: response.ok && (body as { ok?: unknown } | null)?.ok === true,
    };
  } catch {
    return { reachable: true, healthy: false };
  }
}
