import type {
  CellValue,
  Row,
  SectionInfo,
  SectionStatus,
  SectionUpdate,
} from '../../common/protocol.js';
import type { DashboardInfo } from '../../common/alerts.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import { appendChange, changeEntry } from './changeLog.js';
import { appendKpi, emptyKpiHistory } from './kpiHistory.js';
import { diffKeyColumn, diffRows } from './rowDiff.js';
import type { SectionsState, SectionView } from './state.js';

/** A row's identity: its `id` column when it has one, else the whole row. */
export function rowKey(row: Row): string {
  const id: CellValue | undefined = row.id;
  return id !== undefined && id !== null ? `id:${JSON.stringify(id)}` : JSON.stringify(row);
}

/**
 * The catalog arrived: keep what we know of sections that still exist, in catalog order, and its
 * dashboards (pages of sections) when it has any.
 */
export function applyCatalog(
  state: SectionsState,
  sections: SectionInfo[],
  dashboards?: DashboardInfo[],
): SectionsState {
  const byId: Record<string, SectionView> = {};
  const order: string[] = [];
  for (const info of sections) {
    if (info.id === CLUSTER_SECTION_ID) continue;
    order.push(info.id);
    byId[info.id] = { ...(state.byId[info.id] ?? { changedRowKeys: [] }), info };
  }
  return dashboards && dashboards.length > 0 ? { order, byId, dashboards } : { order, byId };
}

/** Whether two updates carry the same rows. */
export function sameRows(a: SectionUpdate, b: SectionUpdate): boolean {
  return a.rows.length === b.rows.length && JSON.stringify(a.rows) === JSON.stringify(b.rows);
}

/**
 * A new version of a section: older or equal versions are ignored (unless the view is waiting for
 * a resync, see SectionView.resync). `previous` is the last update with *different* rows: a server
 * that restarts sends every section again under a new version with the same rows, and that copy
 * must not become the value the KPI deltas compare with (every tile would say "unchanged").
 * `changes` is what this version changed compared with the one held before it (live/rowDiff),
 * logged in `changeLog` (the last 50); `stat` sections also keep their values over time.
 */
export function applyUpdate(
  state: SectionsState,
  update: SectionUpdate,
  now: number,
): SectionsState {
  const current = state.byId[update.section];
  if (!current) return state;
  if (current.update && !current.resync && current.update.version >= update.version) return state;
  const held = current.update;
  const same = held !== undefined && sameRows(held, update);
  const before = new Map((held?.rows ?? []).map((r) => [rowKey(r), JSON.stringify(r)]));
  const changedRowKeys =
    held && !same
      ? update.rows.filter((r) => before.get(rowKey(r)) !== JSON.stringify(r)).map(rowKey)
      : [];
  const changes = held
    ? diffRows(held.rows, update.rows, diffKeyColumn(current.info.view, update.columns))
    : undefined;
  const row = update.rows[0];
  const view: SectionView = {
    ...current,
    ...(held && !same ? { previous: held } : {}),
    update,
    receivedAt: now,
    changedRowKeys,
    changes,
    changeLog: appendChange(current.changeLog, changeEntry(update, changes, now)),
    received: (current.received ?? 0) + 1,
  };
  if (current.info.view.type === 'stat' && row) {
    view.kpiHistory = appendKpi(current.kpiHistory ?? emptyKpiHistory, now, row);
  }
  delete view.resync;
  return { ...state, byId: { ...state.byId, [update.section]: view } };
}

/**
 * Keeps what is known of each section while the console moves to another address of the same
 * server (cluster failover, a restarted local demo): the old data stays on screen, marked stale,
 * and stays the baseline for deltas; the new server's first update replaces it whatever its
 * version (another process may number differently).
 */
export function markForResync(state: SectionsState): SectionsState {
  const byId: Record<string, SectionView> = {};
  for (const [id, view] of Object.entries(state.byId)) {
    const next: SectionView = { ...view, resync: true };
    delete next.status;
    byId[id] = next;
  }
  return { ...state, byId };
}

/**
 * Forgets every section's health before (re)subscribing: the server sends `section-status` on
 * subscribe only for sections that fail or are warned, so a section that recovered during an
 * outage must not keep showing its old error.
 */
export function clearStatuses(state: SectionsState): SectionsState {
  if (state.order.every((id) => state.byId[id]?.status === undefined)) return state;
  const byId: Record<string, SectionView> = {};
  for (const [id, view] of Object.entries(state.byId)) {
    const next: SectionView = { ...view };
    delete next.status;
    byId[id] = next;
  }
  return { ...state, byId };
}

export function applyStatus(state: SectionsState, status: SectionStatus): SectionsState {
  const current = state.byId[status.section];
  if (!current) return state;
  return { ...state, byId: { ...state.byId, [status.section]: { ...current, status } } };
}

/** Versions held, for `subscribe` with `have` after a reconnect. */
export function haveVersions(state: SectionsState): Record<string, number> {
  const have: Record<string, number> = {};
  for (const id of state.order) {
    const view = state.byId[id];
    const version = view?.update?.version;
    if (version !== undefined && !view?.resync) have[id] = version;
  }
  return have;
}
