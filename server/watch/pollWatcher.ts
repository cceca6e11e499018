import type { QueryResult } from '../sources/DataSource.js';
import type { SectionEngine } from '../sections/SectionEngine.js';
import { canonicalHash } from '../sections/canonicalHash.js';
import type { Watcher } from './Watcher.js';

export interface PolledSection {
  id: string;
  intervalMs: number;
  /** Cheap query; the section re-runs only when its result changes. */
  probe?: () => Promise<QueryResult>;
}

/**
 * Poll mode: every section is re-checked on its own period. Without a probe the section's query
 * runs and the engine drops unchanged results; with a probe only the probe runs until it changes.
 * Each section's timer is re-armed after its check completes, so checks never pile up.
 */
export function pollWatcher(engine: SectionEngine, sections: PolledSection[]): Watcher {
  const timers = new Map<string, NodeJS.Timeout>();
  const probeHashes = new Map<string, string>();
  let stopped = false;

  async function check(section: PolledSection): Promise<void> {
    const detectedAt = Date.now();
    if (!section.probe) {
      engine.request(section.id, detectedAt);
      return;
    }
    try {
      const result = await section.probe();
      const hash = canonicalHash(result.columns, result.rows, result.truncated);
      const changed = probeHashes.get(section.id) !== hash;
      probeHashes.set(section.id, hash);
      if (changed || !engine.status(section.id)?.healthy) engine.request(section.id, detectedAt);
    } catch {
      // The probe failed: let the section's own read run and report the problem to clients.
      probeHashes.delete(section.id);
      engine.request(section.id, detectedAt);
    }
  }

  function arm(section: PolledSection): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      void check(section).finally(() => arm(section));
    }, section.intervalMs);
    timer.unref();
    timers.set(section.id, timer);
  }

  return {
    start() {
      for (const section of sections) arm(section);
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      return Promise.resolve();
    },
  };
}
