import { changeLags, type ChangeLags } from './changeLags.js';
import { now, sleep } from './clock.js';
import type { Fleet } from './fleet.js';
import { metric } from './serve.js';
import { fmtMs } from './table.js';

/**
 * What the change-feed scenarios (issue 12: binlog, logical) measure the same way, each with its
 * own database and commits: commit -> `update` at every client (each commit carries a new marker
 * in the `recent` row), and the section queries a burst of 1,000 one-row commits costs.
 */
export class FeedLatency {
  /** The last marker committed (lag runs and bursts share the sequence). */
  private seq = 1000;

  constructor(
    private readonly fleet: Fleet,
    private readonly clients: number,
    private readonly sections: string[],
    private readonly log: (line: string) => void,
  ) {}

  /** Connects the clients to `url` as `group`, subscribed to the sections; their first snapshot. */
  async connect(url: string, group: string): Promise<void> {
    const c = await this.fleet.connect({
      kind: 'opsdeck',
      url,
      count: this.clients,
      sections: this.sections,
      group,
    });
    if (c.failed > 0) throw new Error(`clients failed: ${c.firstError ?? ''}`);
    await sleep(500);
  }

  /** `changes` commits 150-200 ms apart (`commit` with the next marker); their lags at `group`. */
  async lag(
    group: string,
    changes: number,
    commit: (marker: number) => Promise<unknown>,
  ): Promise<ChangeLags> {
    const committed = new Map<number, number>();
    const first = this.seq + 1;
    for (let i = 0; i < changes; i++) {
      this.seq += 1;
      committed.set(this.seq, now());
      await commit(this.seq);
      await sleep(150 + Math.random() * 50);
    }
    await sleep(1500);
    const receipts = (await this.fleet.markers()).get(group) ?? new Map<number, number[]>();
    const lags = changeLags(committed, receipts, first, this.seq, this.clients);
    this.log(
      `${group}, ${this.clients} clients: p50 ${fmtMs(lags.p50)}, p99 ${fmtMs(lags.p99)} (${lags.samples} samples, ${lags.missing} missing)`,
    );
    return lags;
  }

  /**
   * 1,000 one-row commits as fast as the database takes them (`commitBurst` with the marker the
   * last one carries), up to 10 s for `group`'s clients to show it; the most section queries
   * (`opsdeck_section_queries_total` of the server at `url`) one section ran meanwhile.
   */
  async burst(
    url: string,
    group: string,
    commitBurst: (marker: number) => Promise<unknown>,
  ): Promise<number> {
    const queries = async () =>
      Promise.all(
        this.sections.map((section) => metric(url, 'opsdeck_section_queries_total', { section })),
      );
    const q0 = await queries();
    this.seq += 1;
    const marker = this.seq;
    const start = now();
    await commitBurst(marker);
    const commitMs = now() - start;
    for (
      let i = 0;
      i < 100 && (await this.fleet.markerReceipts(group, marker)) < this.clients;
      i++
    ) {
      await sleep(100);
    }
    await sleep(500);
    const q1 = await queries();
    const perSection = this.sections.map((_, i) => (q1[i] ?? 0) - (q0[i] ?? 0));
    this.log(
      `1,000-row burst (${fmtMs(commitMs)} to commit): queries per section ${this.sections.map((id, i) => `${id} ${perSection[i]}`).join(', ')}`,
    );
    return Math.max(...perSection);
  }
}
