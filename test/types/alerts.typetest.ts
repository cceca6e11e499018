/**
 * Type tests that pin the alerts and dashboards vocabulary (common/alerts.ts): the `alert` event's
 * payload, the catalog's optional `alerts` and `dashboards`, and the configuration schemas tied to
 * their types exactly. Each `@ts-expect-error` line must fail to compile, everything else must
 * compile. Checked by `tsc -b` (the test/ project); never run.
 */
import type { Socket as ClientSocket } from 'socket.io-client';
import type { z } from 'zod';
import type {
  AlertEvent,
  AlertRule,
  AlertRuleInfo,
  AlertSeverity,
  AlertState,
  DashboardInfo,
} from '../../common/alerts.js';
import type { ALERT_SEVERITIES } from '../../common/alerts.js';
import type {
  CatalogBody,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../common/protocol.js';
import type { alertRuleSchema, dashboardSchema } from '../../common/schemas.js';
import type { OpsdeckConfig } from '../../server/config/configSchema.js';
import type { InterServerEvents } from '../../server/socket/attachProtocol.js';
import type { Equal, Expect, SameShape } from './typeAssert.js';

export type Vocabulary = [
  Expect<Equal<AlertSeverity, 'info' | 'warning' | 'critical'>>,
  Expect<Equal<AlertSeverity, (typeof ALERT_SEVERITIES)[number]>>,
  Expect<Equal<AlertState, 'firing' | 'resolved'>>,
  Expect<Equal<Parameters<ServerToClientEvents['alert']>, [event: AlertEvent]>>,
  Expect<Equal<Parameters<InterServerEvents['opsdeck:alert']>, [event: AlertEvent]>>,
  // Extensions of the catalog are optional: an old server's answer is still a CatalogBody.
  Expect<Equal<CatalogBody['alerts'], AlertRuleInfo[] | undefined>>,
  Expect<Equal<CatalogBody['dashboards'], DashboardInfo[] | undefined>>,
];

export type SchemasMatchTheirTypes = [
  Expect<SameShape<z.output<typeof alertRuleSchema>, AlertRule>>,
  Expect<SameShape<z.output<typeof dashboardSchema>, DashboardInfo>>,
  Expect<Equal<NonNullable<OpsdeckConfig['alerts']>[number], z.output<typeof alertRuleSchema>>>,
  Expect<Equal<NonNullable<OpsdeckConfig['dashboards']>[number], DashboardInfo>>,
];

export const firing: AlertEvent = {
  id: 'open-orders-high',
  section: 'kpis',
  severity: 'warning',
  state: 'firing',
  value: 61,
  since: '2026-12-01T10:02:00.000Z',
  message: '61 orders are waiting',
};

/** Rules without a number (`no change for`, `failing`) send no value. */
export const stale: AlertEvent = {
  id: 'no-sales',
  section: 'recent',
  severity: 'critical',
  state: 'resolved',
  since: '2026-12-01T10:30:00.000Z',
  message: 'recent has not changed for 30m',
};

// @ts-expect-error the state is firing or resolved
export const pending: AlertEvent = { ...firing, state: 'pending' };
// @ts-expect-error severities are info, warning and critical
export const loud: AlertEvent = { ...firing, severity: 'error' };
// @ts-expect-error value is a number
export const textValue: AlertEvent = { ...firing, value: '61' };
// @ts-expect-error every event says since when
export const noSince: AlertEvent = { ...firing, since: undefined };

export const oldCatalog: CatalogBody = {
  server: { name: 'opsdeck', version: '1', nodeId: 'n', clusterSize: 1 },
  sections: [],
};
export const newCatalog: CatalogBody = {
  ...oldCatalog,
  alerts: [{ id: 'a', section: 'kpis', when: 'failing', severity: 'critical' }],
  dashboards: [{ id: 'floor', title: 'Sales floor', sections: ['kpis'] }],
};
export const withMessage: CatalogBody = {
  ...oldCatalog,
  // @ts-expect-error the catalog lists rules without their message template
  alerts: [{ id: 'a', section: 'kpis', when: 'failing', severity: 'info', message: 'x' }],
};

/** A stock client's listener gets the typed event. */
export function listen(
  socket: ClientSocket<ServerToClientEvents, ClientToServerEvents>,
  seen: { state: AlertState; value: number | undefined }[],
): void {
  socket.on('alert', (event) => {
    seen.push({ state: event.state, value: event.value });
    // @ts-expect-error `alert` carries one event, not a list
    socket.on('alert', (events: AlertEvent[]) => events);
  });
}
