import type { ReportedAlert } from '../../common/ipc.js';

/**
 * The demo floor's open-orders-high rule firing, as the console reports it to the main process
 * (`alerts:report`): the alert the desktop tests notify, count in the tray and focus.
 */
export const OPEN_ORDERS_HIGH: ReportedAlert = {
  id: 'open-orders-high',
  section: 'kpis',
  sectionTitle: 'Key figures',
  severity: 'warning',
  since: '2026-12-01T15:30:00.000Z',
  message: '57 orders are waiting',
};
