/**
 * The handshake after every (re)connect, which brings the push client's stores back in line with
 * the server: the catalog, then the subscribe to every section with the versions held (so only
 * what changed is resent), then a ping whose answer comes behind everything that subscribe resent.
 */
import type { CatalogAck, SubscribeAck } from '../../common/protocol.js';
import { applyAlertRules, beginAlertResync } from './alertsReducer.js';
import { ACK_TIMEOUT_MS } from './askServer.js';
import type { OpsdeckSocket } from './opsdeckSocket.js';
import type { LiveStores } from './routeLiveEvents.js';
import { applyCatalog, clearStatuses, haveVersions } from './sectionsReducer.js';

/**
 * Runs the handshake on `socket`. Resolves true once the resync is complete (every snapshot,
 * status and firing alert the subscribe asked for is in), false when `live()` turned false
 * meanwhile (a newer socket took over); throws when the server does not speak the protocol.
 * `ping` measures a round trip into the connection store.
 */
export async function resync(
  socket: OpsdeckSocket,
  stores: LiveStores,
  live: () => boolean,
  ping: () => Promise<void>,
): Promise<boolean> {
  const { connection, sections, alerts } = stores;
  // The ping goes out with the catalog request: its answer comes right behind the catalog's,
  // so the clock offset is known before the first snapshots without a round trip of its own.
  const asked = socket.timeout(ACK_TIMEOUT_MS).emitWithAck('catalog');
  const pinged = ping();
  const catalog = (await asked) as CatalogAck;
  if (!live()) return false;
  if (!catalog.ok) throw new Error(catalog.error.message);
  sections.update((s) => applyCatalog(s, catalog.sections, catalog.dashboards));
  alerts.update((s) => applyAlertRules(s, catalog.alerts));
  connection.update((c) => ({ ...c, lastError: undefined, server: catalog.server }));
  // The clock offset first, so the first snapshots already show the right "updated ... ago".
  await pinged;
  const ids = catalog.sections.map((s) => s.id);
  sections.update(clearStatuses);
  alerts.update(beginAlertResync);
  const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', {
    sections: ids,
    have: haveVersions(sections.get()),
  })) as SubscribeAck;
  if (!ack.ok) throw new Error(ack.error.message);
  // The server sends the snapshots, statuses and firing alerts the subscribe asks for right
  // behind its answer; a ping's answer comes after them on the same socket. Only once it is
  // in is the resync complete: until then every card stays stale (the phase is not
  // 'connected'), and whatever alert was not resent is not firing.
  await ping();
  return live();
}
