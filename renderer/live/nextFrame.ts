/**
 * Runs callbacks once, all together, just before the next painted frame (requestAnimationFrame;
 * a 16 ms timer where there is none, as in Node tests). Everything queued within one frame runs
 * in the same task, so React renders every store change of that frame in one commit. While the
 * page is hidden the browser holds animation frames back: nothing is drawn that nobody sees, and
 * the latest state is drawn when the page shows again.
 */
const queued = new Set<() => void>();
let scheduled = false;

function flush(): void {
  scheduled = false;
  const callbacks = [...queued];
  queued.clear();
  for (const callback of callbacks) callback();
}

export function onNextFrame(callback: () => void): void {
  queued.add(callback);
  if (scheduled) return;
  scheduled = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
  else setTimeout(flush, 16);
}
