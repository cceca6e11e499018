/**
 * When logical mode may confirm a position to its slot: a committed transaction's LSN only once
 * every section it re-runs has finished a successful read that started after the commit arrived.
 * Confirmations stay in commit order, so a crash (or a leader's kill -9) replays the changes whose
 * sections were not re-read yet instead of losing them.
 */
export class PendingAcks {
  private readonly entries: { lsn: string; at: number; waiting: Set<string> }[] = [];

  constructor(private readonly confirm: (lsn: string) => void) {}

  /** Transactions whose sections have not all been re-read. */
  get size(): number {
    return this.entries.length;
  }

  /** A commit at `lsn` arrived at `at` (epoch ms) and re-runs these sections. */
  committed(lsn: string, sections: Iterable<string>, at: number): void {
    this.entries.push({ lsn, at, waiting: new Set(sections) });
    this.flush();
  }

  /** A read of `section` that started at `startedAt` succeeded. */
  read(section: string, startedAt: number): void {
    for (const entry of this.entries) {
      if (entry.at <= startedAt) entry.waiting.delete(section);
    }
    this.flush();
  }

  /** The server's position while nothing was sent: confirmed when nothing is pending. */
  idle(lsn: string): void {
    if (this.entries.length === 0) this.confirm(lsn);
  }

  /** The stream restarted from the slot: what was pending is sent again. */
  clear(): void {
    this.entries.length = 0;
  }

  private flush(): void {
    let last: string | undefined;
    while (this.entries[0] && this.entries[0].waiting.size === 0) {
      last = this.entries.shift()?.lsn;
    }
    if (last !== undefined) this.confirm(last);
  }
}
