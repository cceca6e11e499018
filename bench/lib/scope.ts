/**
 * Everything a scenario starts registers its undo here (processes, databases, Redis keys,
 * browsers); the runner closes the scope when the scenario ends, fails or times out, in reverse
 * order, each step bounded in time.
 */
export class Scope {
  private readonly undo: { what: string; fn: () => unknown }[] = [];
  private closed = false;

  defer(what: string, fn: () => unknown): void {
    if (this.closed) {
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined);
      return;
    }
    this.undo.push({ what, fn });
  }

  async close(log: (line: string) => void, stepTimeoutMs = 20_000): Promise<void> {
    this.closed = true;
    while (this.undo.length > 0) {
      const step = this.undo.pop();
      if (!step) break;
      try {
        await withTimeout(Promise.resolve().then(step.fn), stepTimeoutMs, `cleanup: ${step.what}`);
      } catch (error) {
        log(`cleanup of ${step.what} failed: ${errorText(error)}`);
      }
    }
  }
}

/** Rejects with a clear message when the promise does not settle in time. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
