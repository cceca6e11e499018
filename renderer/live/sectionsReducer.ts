import type {
  CellValue,
  Row,
  SectionInfo,
  SectionStatus,
  SectionUpdate,
} from '../../common/protocol.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import type { SectionsState, SectionView } from './state.js';

/** A row's identity: its `id` column when it has one, else the whole row. */
export function rowKey(row: Row): string {
  const id: CellValue | undefined = row.id;
  return id !== undefined && id !== null ? `id:${JSON.stringify(id)}` : JSON.stringify(row);
}

/** The catalog arrived: keep what we know of sections that still exist, in catalog order. */
export function applyCatalog(state: SectionsState, sections: SectionInfo[]): SectionsState {
  const byId: Record<string, SectionView> = {};
  const order: string[] = [];
  for (const info of sections) {
    if (info.id === CLUSTER_SECTION_ID) continue;
    order.push(info.id);
    byId[info.id] = { ...(state.byId[info.id] ?? { changedRowKeys: [] }), info };
  }
  return { order, byId };
}

/** A new version of a section: older or equal versions are ignored. */
export function applyUpdate(
  state: SectionsState,
  update: SectionUpdate,
  now: number,
): SectionsState {
  const current = state.byId[update.section];
  if (!current) return state;
  if (current.update && current.update.version >= update.version) return state;
  const before = new Map((current.update?.rows ?? []).map((r) => [rowKey(r), JSON.stringify(r)]));
  const changedRowKeys = current.update
    ? update.rows.filter((r) => before.get(rowKey(r)) !== JSON.stringify(r)).map(rowKey)
    : [];
  const view: SectionView = {
    ...current,
    ...(current.update ? { previous: current.update } : {}),
    update,
    receivedAt: now,
    changedRowKeys,
  };
  return { ...state, byId: { ...state.byId, [update.section]: view } };
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
    const version = state.byId[id]?.update?.version;
    if (version !== undefined) have[id] = version;
  }
  return have;
}
