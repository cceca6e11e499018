/** A change feed: tells the section engine when data may have changed. */
export interface Watcher {
  start(): void;
  stop(): Promise<void>;
}
