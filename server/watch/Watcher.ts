/** A change feed: tells the section engine when data may have changed. */
export interface Watcher {
  start(): void;
  stop(): Promise<void>;
  /**
   * True when the watcher itself asks for the first read of every section once it is watching
   * (notify mode: after LISTEN took effect, so no change can fall between the read and LISTEN).
   */
  readonly readsInitially?: boolean;
}
