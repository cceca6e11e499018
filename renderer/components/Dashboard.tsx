import { memo, useMemo, type CSSProperties } from 'react';
import { useNow } from '../hooks/useNow.js';
import { useStore } from '../hooks/useStore.js';
import { firingList } from '../live/alertsReducer.js';
import { isQuiet, type AlertPrefs } from '../live/AlertPrefs.js';
import type { PushClient } from '../live/PushClient.js';
import type { ConnectionPhase, SectionView } from '../live/state.js';
import { CardTools } from './changes/CardTools.js';
import { useCardPause } from './changes/useCardPause.js';
import { InspectButton } from './inspect/InspectButton.js';
import { SectionBody } from './SectionBody.js';
import { SectionCard, type CardAlert } from './SectionCard.js';

/**
 * One section, card and view. Memoised: an update to one section re-renders that card only (the
 * store keeps the other sections' objects as they were). A paused card shows the version it held
 * when paused (useCardPause) while the store keeps receiving.
 */
const SectionTile = memo(function SectionTile({
  client,
  section,
  phase,
  clockOffsetMs,
  alerts,
}: {
  client: PushClient;
  section: SectionView;
  phase: ConnectionPhase;
  clockOffsetMs: number;
  alerts: CardAlert[] | undefined;
}) {
  const pause = useCardPause(section);
  return (
    <SectionCard
      section={pause.shown}
      alerts={alerts}
      phase={phase}
      clockOffsetMs={clockOffsetMs}
      className={section.info.view.type === 'stat' ? 'span-full' : undefined}
      pausedNewer={pause.newer}
      actions={<InspectButton client={client} section={pause.shown} />}
      tools={
        <CardTools
          live={section}
          shown={pause.shown}
          paused={pause.newer !== undefined}
          onTogglePause={pause.toggle}
        />
      }
    >
      <SectionBody section={pause.shown} />
    </SectionCard>
  );
});

function Placeholder({ phase, target }: { phase: ConnectionPhase; target: string | undefined }) {
  if (phase === 'connecting' || phase === 'reconnecting') {
    return (
      <div className="dashboard-empty" aria-busy="true">
        <p className="dashboard-loading">Loading the dashboard{target ? ` from ${target}` : ''}…</p>
        <div className="dashboard-grid dashboard-grid--ghost" aria-hidden="true">
          <div className="card card--ghost card--stat" />
          <div className="card card--ghost" />
          <div className="card card--ghost" />
          <div className="card card--ghost card--table" />
        </div>
      </div>
    );
  }
  const [title, words] =
    phase === 'connected'
      ? [
          'No sections',
          'This server has no sections configured. Add some to its configuration file.',
        ]
      : phase === 'unreachable'
        ? [
            'No data yet',
            `Opsdeck keeps trying to reach ${target ?? 'the server'}. Check the address, or pick another server with Ctrl+K (⌘K on a Mac).`,
          ]
        : phase === 'unauthorized'
          ? ['No data yet', 'Nothing to show until the server accepts the connection.']
          : ['Not connected', 'Press Ctrl+K (⌘K on a Mac) to choose a server.'];
  return (
    <div className="dashboard-empty">
      <div className="empty-state">
        <h2 className="empty-state-title">{title}</h2>
        <p className="empty-state-text">{words}</p>
      </div>
    </div>
  );
}

/**
 * The catalog's sections as a responsive grid: `stat` sections span the full width at the top,
 * the others flow in columns that fit the screen (two at 1280 px, more on a wall screen).
 */
export function Dashboard({
  client,
  prefs,
  sectionIds,
}: {
  client: PushClient;
  prefs: AlertPrefs;
  /** The sections of the dashboard on screen, in its order; absent: every section. */
  sectionIds?: string[] | undefined;
}) {
  const sections = useStore(client.sections);
  const connection = useStore(client.connection);
  const alerts = useStore(client.alerts);
  const prefsState = useStore(prefs.store);
  const now = useNow(10_000);
  const bySection = useMemo(() => {
    const map: Record<string, CardAlert[]> = {};
    for (const { event } of firingList(alerts)) {
      (map[event.section] ??= []).push({ event, quiet: isQuiet(prefsState, event, now) });
    }
    return map;
  }, [alerts, prefsState, now]);
  const views = (sectionIds ?? sections.order)
    .map((id) => sections.byId[id])
    .filter((s): s is SectionView => s !== undefined);

  if (views.length === 0) {
    if (sectionIds && sections.order.length > 0) return null; // a page of $cluster only
    return <Placeholder phase={connection.phase} target={connection.target?.name} />;
  }

  const stats = views.filter((s) => s.info.view.type === 'stat');
  const rest = views.filter((s) => s.info.view.type !== 'stat');
  // Charts share rows; stat and table sections take a row each (see styles.css).
  const charts = rest.filter((s) => s.info.view.type !== 'table').length;
  // TV mode (kiosk.css): the KPI rows, one per stat section, keep their height; the rest share it.
  const gridStyle = {
    '--grid-cols': String(Math.max(1, Math.min(charts, 4))),
    '--stat-rows': String(stats.length),
  } as CSSProperties;

  return (
    <div className="dashboard" aria-label="Dashboard">
      <div className="dashboard-grid" style={gridStyle}>
        {[...stats, ...rest].map((section) => (
          <SectionTile
            key={section.info.id}
            client={client}
            section={section}
            phase={connection.phase}
            clockOffsetMs={connection.clockOffsetMs}
            alerts={bySection[section.info.id]}
          />
        ))}
      </div>
    </div>
  );
}
