/**
 * A saved connection, the same shape everywhere: the console's profile list (renderer/bridge), the
 * desktop app's IPC contract (common/ipc.ts) and its store (main/profiles).
 */

/** One URL, or several node URLs of one cluster (tried in order: failover). */
export interface Profile {
  id: string;
  name: string;
  urls: string[];
  token?: string | undefined;
  /** Built-in entries (this server, the local demo) cannot be edited or deleted. */
  builtin?: boolean | undefined;
}
