/**
 * The version of a section a client is known to hold already because `subscribe` sent it (or the
 * client said so with `have`). A broadcast of that same version (or an older one) must then skip
 * that client: the engine's updates of one change leave together (UpdateBatch) after the store has
 * the new version, and a node can relay a version a moving client already got elsewhere, so a
 * subscribe that lands in between would otherwise be followed by the same version again.
 * Kept per socket object (weakly: gone with the socket).
 */
const held = new WeakMap<object, Map<string, number>>();

export function noteHeld(socket: object, section: string, version: number): void {
  let versions = held.get(socket);
  if (!versions) held.set(socket, (versions = new Map<string, number>()));
  if ((versions.get(section) ?? 0) < version) versions.set(section, version);
}

/** True when the client holds `version` of `section` or a newer one already. */
export function holdsVersion(socket: object, section: string, version: number): boolean {
  return (held.get(socket)?.get(section) ?? 0) >= version;
}
