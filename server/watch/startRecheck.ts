/**
 * The safety re-check of a change feed: `tick` every `periodMs`, without keeping the process
 * alive. Returns the function that stops it.
 */
export function startRecheck(periodMs: number, tick: () => void): () => void {
  const timer = setInterval(tick, periodMs);
  timer.unref();
  return () => clearInterval(timer);
}
