/**
 * The first step of "Test connection" in a browser: is anything there at all, and does it look
 * like Opsdeck? Plain TypeScript: no React.
 */

export type HealthProbe =
  | { reachable: false; detail?: string; code?: string }
  /**
   * `healthy`: /healthz answered Opsdeck's 200 `{"ok":true}`. `status` is the HTTP status when the
   * answer was readable; absent when it was opaque (no CORS header: not Opsdeck's /healthz, which
   * lets any page read it).
   */
  | { reachable: true; healthy: boolean; status?: number };

/**
 * GET /healthz, first as a CORS request (Opsdeck's /healthz allows any origin, so its answer is
 * readable), and if that fails, once more without CORS: an opaque answer still proves that an HTTP
 * server answered, while a second failure means there was no HTTP answer at all. Runtimes that
 * expose the cause of a failed fetch (Node) report its code.
 */
export async function probeHealth(url: string, signal: AbortSignal): Promise<HealthProbe> {
  const request = (mode: RequestMode) =>
    fetch(`${url}/healthz`, { mode, signal, cache: 'no-store', credentials: 'omit' });
  let response: Response;
  try {
    response = await request('cors');
  } catch {
    signal.throwIfAborted();
    try {
      response = await request('no-cors');
    } catch (error) {
      signal.throwIfAborted();
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      return {
        reachable: false,
        ...(typeof cause?.message === 'string' ? { detail: cause.message } : {}),
        ...(typeof cause?.code === 'string' ? { code: cause.code } : {}),
      };
    }
    return { reachable: true, healthy: false };
  }
  if (response.type === 'opaque') return { reachable: true, healthy: false };
  try {
    const body: unknown = await response.json();
    return {
      reachable: true,
      healthy: response.ok && (body as { ok?: unknown } | null)?.ok === true,
      status: response.status,
    };
  } catch {
    return { reachable: true, healthy: false, status: response.status };
  }
}
