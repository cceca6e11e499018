/** Something that is due at a point in time (epoch milliseconds). */
export interface Due {
  at: number;
}

/**
 * A queue of future events, earliest first. Kept as an array sorted latest-first so taking the next
 * event is a pop(); inserts are a binary search plus splice, which is plenty for the few hundred
 * open orders a sales floor has at a time. Equal times keep their insertion order, so the
 * sequence is deterministic.
 */
export class DueQueue<T extends Due> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    // Insert in front of (that is, to be popped after) every item due at the same time or earlier;
    // items due strictly later stay in front of it.
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as T).at > item.at) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, item);
  }

  peek(): T | undefined {
    return this.items[this.items.length - 1];
  }

  pop(): T | undefined {
    return this.items.pop();
  }

  /** Removes this exact item (by identity); returns whether it was queued. */
  remove(item: T): boolean {
    const index = this.items.lastIndexOf(item);
    if (index === -1) return false;
    this.items.splice(index, 1);
    return true;
  }
}
