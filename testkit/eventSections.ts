/**
 * The two sections of the cluster tests' and the cluster soak's `events` table (`id serial`,
 * `note text`): `events` (a stat: how many, the last id) and `recent` (the latest `recentRows`
 * events), both changed by each insert.
 */
export function eventSections(recentRows: number) {
  return [
    {
      id: 'events',
      title: 'Events',
      view: { type: 'stat' },
      sql: 'SELECT count(*)::int AS n, coalesce(max(id), 0)::int AS last_id FROM events',
      tables: ['events'],
    },
    {
      id: 'recent',
      title: 'Latest events',
      view: { type: 'table' },
      sql: `SELECT id, note FROM events ORDER BY id DESC LIMIT ${recentRows}`,
      tables: ['events'],
    },
  ];
}
