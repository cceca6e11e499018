/**
 * What a server pushes unasked (updates, section statuses, alerts, shutdown and cluster status
 * notices), routed into the push client's stores. Live data reaches the screen once per
 * animation frame, however many messages came in it.
 */
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import { applyAlert } from './alertsReducer.js';
import { applyClusterUpdate } from './clusterReducer.js';
import type { OpsdeckSocket } from './opsdeckSocket.js';
import type { PushClient } from './PushClient.js';
import { applyStatus, applyUpdate } from './sectionsReducer.js';

/** The stores a push client owns, as the code that fills them sees them. */
export type LiveStores = Pick<PushClient, 'connection' | 'sections' | 'cluster' | 'alerts'>;

/**
 * Routes `socket`'s pushed events into `stores` while `live()` holds (a newer socket makes it
 * false, and the older one's late events are dropped); `now` stamps what arrives.
 */
export function routeLiveEvents(
  socket: OpsdeckSocket,
  stores: LiveStores,
  live: () => boolean,
  now: () => number,
): void {
  const { connection, sections, cluster, alerts } = stores;
  socket.on('update', (update) => {
    if (!live()) return;
    if (update.section === CLUSTER_SECTION_ID) {
      cluster.updateInFrame((s) => applyClusterUpdate(s, update, now()));
      const nodes = update.rows.length;
      connection.updateInFrame((c) =>
        c.server && c.server.clusterSize !== nodes
          ? { ...c, server: { ...c.server, clusterSize: nodes } }
          : c,
      );
    } else sections.updateInFrame((s) => applyUpdate(s, update, now()));
  });
  socket.on(
    'section-status',
    (status) => live() && sections.updateInFrame((s) => applyStatus(s, status)),
  );
  socket.on('alert', (event) => live() && alerts.update((s) => applyAlert(s, event, now())));
  socket.on(
    'server-shutdown',
    () => live() && connection.update((c) => ({ ...c, serverShutdown: true })),
  );
  socket.on('server-status', (status) => {
    if (!live()) return;
    const degraded = status.degraded ? (status.reason ?? 'cluster degraded') : undefined;
    connection.update((c) => ({ ...c, degraded }));
  });
}
