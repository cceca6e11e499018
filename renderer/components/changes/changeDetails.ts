/**
 * A diff in words for the change log panel: which rows were added and removed (by their key) and
 * which cells changed, from what to what. Pure: no React, no DOM.
 */
import type { Column, SectionUpdate } from '../../../common/protocol.js';
import { formatCell, humanize } from '../../format/format.js';
import { diffRowKeys, type RowDiff } from '../../live/rowDiff.js';

/** Lines listed at most per kind; the rest are counted. */
export const DETAIL_LIMIT = 8;

export interface ChangeDetails {
  added: string[];
  removed: string[];
  changed: string[];
  /** Lines not listed, per kind. */
  more: { added: number; removed: number; changed: number };
}

/** A row key as people read it: the key column's value (`"Ada"#2` -> `Ada (2nd)`). */
export function keyLabel(key: string, column: Column | undefined, locale?: string): string {
  const match = /^(.*?)(?:#(\d+))?$/.exec(key);
  const raw = match?.[1] ?? key;
  const repeat = match?.[2];
  let text = raw;
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      text = formatCell(
        value as string | number | boolean | null,
        column?.name ?? '',
        column?.type ?? 'string',
        locale,
      );
    }
  } catch {
    // Not JSON (cannot happen for keys made by diffRowKeys): shown as it is.
  }
  return repeat ? `${text} (#${repeat})` : text;
}

function listed(lines: string[]): [string[], number] {
  return [lines.slice(0, DETAIL_LIMIT), Math.max(0, lines.length - DETAIL_LIMIT)];
}

/** What `changes` did to `update`'s rows, in words, at most DETAIL_LIMIT lines per kind. */
export function changeDetails(
  update: SectionUpdate,
  changes: RowDiff,
  locale?: string,
): ChangeDetails {
  const columns = new Map(update.columns.map((c) => [c.name, c]));
  const keyColumn = changes.keyColumn !== undefined ? columns.get(changes.keyColumn) : undefined;
  const keyName = keyColumn ? humanize(keyColumn.name) : 'row';
  const label = (key: string) => `${keyName} ${keyLabel(key, keyColumn, locale)}`;
  const keys = diffRowKeys(update.rows, changes.keyColumn);
  const rowsByKey = new Map(keys.map((key, i) => [key, update.rows[i]]));
  const cell = (name: string, value: Parameters<typeof formatCell>[0]) => {
    const column = columns.get(name);
    return value === undefined
      ? 'empty'
      : formatCell(value, name, column?.type ?? 'string', locale);
  };
  const changedLines = changes.changed.flatMap(({ key, cells }) =>
    cells.map(
      (c) =>
        `${label(key)}: ${humanize(c.column)} ${cell(c.column, c.before)} → ${cell(c.column, rowsByKey.get(key)?.[c.column])}`,
    ),
  );
  const removedKeys = diffRowKeys(changes.removed, changes.keyColumn);
  const [added, moreAdded] = listed(changes.added.map(label));
  const [removed, moreRemoved] = listed(removedKeys.map(label));
  const [changed, moreChanged] = listed(changedLines);
  return {
    added,
    removed,
    changed,
    more: { added: moreAdded, removed: moreRemoved, changed: moreChanged },
  };
}
