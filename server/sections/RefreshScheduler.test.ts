import { afterEach, describe, expect, it, vi } from 'vitest';
import { RefreshScheduler } from './RefreshScheduler.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A run that takes `ms` of fake time and records the changedAt it was given. */
function recorder(ms: number, outcome: () => boolean = () => true) {
  const runs: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = async (changedAt: number) => {
    runs.push(changedAt);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight -= 1;
    return outcome();
  };
  return { runs, run, maxInFlight: () => maxInFlight };
}

describe('RefreshScheduler', () => {
  it('runs the first change of a quiet period after the settle delay', async () => {
    vi.useFakeTimers();
    const r = recorder(1);
    const s = new RefreshScheduler({ settleMs: 5, minGapMs: 100, run: r.run });
    s.request(1000);
    await vi.advanceTimersByTimeAsync(4);
    expect(r.runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(r.runs).toEqual([1000]);
  });

  it('coalesces a burst of 1,000 requests into a handful of runs, one at a time', async () => {
    vi.useFakeTimers();
    const r = recorder(20);
    const s = new RefreshScheduler({ settleMs: 5, minGapMs: 100, run: r.run });
    // 1,000 changes spread over one second of fake time.
    for (let i = 0; i < 1000; i++) {
      s.request(Date.now());
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(r.maxInFlight()).toBe(1);
    expect(r.runs.length).toBeGreaterThanOrEqual(2);
    expect(r.runs.length).toBeLessThanOrEqual(12);
    expect(s.busy).toBe(false);
  });

  it('queues exactly one run behind the one in flight and reports the earliest change', async () => {
    vi.useFakeTimers();
    const r = recorder(50);
    const s = new RefreshScheduler({ settleMs: 0, minGapMs: 0, run: r.run });
    s.request(1);
    await vi.advanceTimersByTimeAsync(1);
    s.request(7);
    s.request(3);
    s.request(9);
    await vi.advanceTimersByTimeAsync(200);
    expect(r.runs).toEqual([1, 3]);
  });

  it('backs off exponentially after failures and resets after a success', async () => {
    vi.useFakeTimers();
    let fail = true;
    const r = recorder(0, () => !fail);
    const s = new RefreshScheduler({
      settleMs: 0,
      minGapMs: 0,
      run: r.run,
      backoff: { initialMs: 100, maxMs: 400 },
    });
    s.request(0);
    await vi.advanceTimersByTimeAsync(1); // run 1 fails
    expect(r.runs.length).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(r.runs.length).toBe(1);
    await vi.advanceTimersByTimeAsync(2); // retry after 100 ms, fails
    expect(r.runs.length).toBe(2);
    await vi.advanceTimersByTimeAsync(201); // retry after 200 ms
    expect(r.runs.length).toBe(3);
    await vi.advanceTimersByTimeAsync(401); // capped at 400 ms
    expect(r.runs.length).toBe(4);
    fail = false;
    await vi.advanceTimersByTimeAsync(401);
    expect(r.runs.length).toBe(5);
    expect(s.busy).toBe(false);
    // retries keep the original detection time
    expect(new Set(r.runs)).toEqual(new Set([0]));
  });

  it('schedules again after cancel() dropped a queued run (a re-elected leader must read)', async () => {
    vi.useFakeTimers();
    const r = recorder(0);
    const s = new RefreshScheduler({ settleMs: 5, minGapMs: 100, run: r.run });
    s.request(1);
    s.cancel();
    await vi.advanceTimersByTimeAsync(50);
    expect(r.runs).toEqual([]);
    s.request(2);
    await vi.advanceTimersByTimeAsync(50);
    expect(r.runs).toEqual([2]);
  });

  it('never runs twice at once, even when cancel() races a run in flight', async () => {
    vi.useFakeTimers();
    const r = recorder(50);
    const s = new RefreshScheduler({ settleMs: 0, minGapMs: 0, run: r.run });
    s.request(1);
    await vi.advanceTimersByTimeAsync(1); // run 1 in flight
    s.cancel();
    s.request(2);
    s.request(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(r.maxInFlight()).toBe(1);
    expect(r.runs).toEqual([1, 2]);
  });

  it('never runs after stop()', async () => {
    vi.useFakeTimers();
    const r = recorder(0);
    const s = new RefreshScheduler({ settleMs: 10, minGapMs: 0, run: r.run });
    s.request(1);
    s.stop();
    s.request(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(r.runs).toEqual([]);
  });

  it('sections requested together stay due together when a loaded loop fires them apart', async () => {
    vi.useFakeTimers();
    const started: Record<string, number[]> = { a: [], b: [] };
    const scheduler = (id: 'a' | 'b') =>
      new RefreshScheduler({
        settleMs: 5,
        minGapMs: 100,
        run: () => {
          started[id]?.push(Date.now());
          // The first section's read keeps the loop busy: the second's timer fires 3 ms late.
          if (id === 'a' && started.a?.length === 1) vi.setSystemTime(Date.now() + 3);
          return Promise.resolve(true);
        },
      });
    const a = scheduler('a');
    const b = scheduler('b');
    const t0 = Date.now();
    a.request(t0);
    b.request(t0);
    await vi.advanceTimersByTimeAsync(10);
    expect(started.b?.[0]).toBeGreaterThan(started.a?.[0] ?? Infinity);
    // A change within the minimum gap: both wait for the gap, and their runs leave together
    // (one batch of reads), however late the second one's first run fired.
    await vi.advanceTimersByTimeAsync(40);
    a.request(Date.now());
    b.request(Date.now());
    await vi.advanceTimersByTimeAsync(200);
    expect(started.a).toHaveLength(2);
    expect(started.b?.[1]).toBeDefined();
    expect(started.b?.[1]).toBe(started.a?.[1]);
    // Still at least the minimum gap after each one's first run was due.
    expect((started.a?.[1] ?? 0) - t0).toBeGreaterThanOrEqual(105);
  });

  it('fireIfDueWithin: a run due within the window starts with the one firing, a later one waits', async () => {
    vi.useFakeTimers();
    const started: Record<string, number[]> = {
      first: [],
      near: [],
      far: [],
      stopped: [],
      failing: [],
    };
    const schedulers: RefreshScheduler[] = [];
    const scheduler = (id: string, settleMs = 5) => {
      const s = new RefreshScheduler({
        settleMs,
        minGapMs: 100,
        run: () => {
          started[id]?.push(Date.now());
          return Promise.resolve(id !== 'failing');
        },
        onFire: () => schedulers.forEach((other) => other.fireIfDueWithin(20)),
      });
      schedulers.push(s);
      return s;
    };
    const first = scheduler('first');
    const near = scheduler('near');
    // Asked for at the same moment, but due 40 ms later: beyond the window.
    const far = scheduler('far', 40);
    const t0 = Date.now();
    first.request(t0);
    far.request(t0);
    await vi.advanceTimersByTimeAsync(3); // armed 3 ms apart, as on a preempted process
    near.request(t0);
    await vi.advanceTimersByTimeAsync(1);
    expect(started.first).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(started.first).toEqual([t0 + 5]);
    expect(started.near).toEqual([t0 + 5]);
    expect(started.far).toEqual([t0 + 40]); // its own time, not pulled 35 ms early
    // The pulled-forward run's own timer was dropped: it ran once.
    await vi.advanceTimersByTimeAsync(300);
    expect(started.near).toHaveLength(1);
    // Neither a stopped scheduler nor one waiting out a failure's backoff is pulled forward.
    const stopped = scheduler('stopped');
    stopped.request(Date.now());
    stopped.stop();
    stopped.fireIfDueWithin(1000);
    const failing = scheduler('failing');
    failing.request(Date.now());
    await vi.advanceTimersByTimeAsync(10); // failed once: its retry is due in 1 s
    expect(started.failing).toHaveLength(1);
    failing.fireIfDueWithin(20);
    await vi.advanceTimersByTimeAsync(50);
    expect(started.stopped).toEqual([]);
    expect(started.failing).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(started.failing).toHaveLength(2); // at its backoff
  });
});
