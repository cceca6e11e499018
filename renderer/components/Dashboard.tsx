import type { CSSProperties } from 'react';
import { useStore } from '../hooks/useStore.js';
import type { PushClient } from '../live/PushClient.js';
import type { ConnectionPhase, SectionView } from '../live/state.js';
import { ChartView } from './ChartView.js';
import { SectionCard } from './SectionCard.js';
import { StatTiles } from './StatTiles.js';
import { TableView } from './TableView.js';

function SectionBody({ section }: { section: SectionView }) {
  const { info, update } = section;
  if (!update) return null;
  switch (info.view.type) {
    case 'stat':
      return <StatTiles view={info.view} update={update} previous={section.previous} />;
    case 'table':
      return <TableView update={update} changedRowKeys={section.changedRowKeys} />;
    case 'line':
    case 'area':
    case 'bar':
      return <ChartView view={info.view} update={update} />;
  }
}

function Placeholder({ phase }: { phase: ConnectionPhase }) {
  const words =
    phase === 'idle'
      ? 'Not connected. Press Ctrl+K (⌘K on a Mac) to choose a server.'
      : phase === 'connected'
        ? 'This server has no sections configured.'
        : phase === 'unauthorized'
          ? 'The server refused the token, so there is nothing to show yet.'
          : 'Loading the dashboard…';
  return (
    <div className="dashboard-empty" aria-busy={phase === 'connecting' ? true : undefined}>
      {phase !== 'connected' && phase !== 'idle' && phase !== 'unauthorized' && (
        <div className="dashboard-grid dashboard-grid--ghost" aria-hidden="true">
          <div className="card card--ghost card--stat" />
          <div className="card card--ghost" />
          <div className="card card--ghost" />
          <div className="card card--ghost" />
        </div>
      )}
      <p className="dashboard-empty-text">{words}</p>
    </div>
  );
}

/**
 * The catalog's sections as a responsive grid: `stat` sections span the full width at the top,
 * the others flow in columns that fit the screen (two at 1280 px, more on a wall screen).
 */
export function Dashboard({ client }: { client: PushClient }) {
  const sections = useStore(client.sections);
  const connection = useStore(client.connection);
  const views = sections.order
    .map((id) => sections.byId[id])
    .filter((s): s is SectionView => s !== undefined);

  if (views.length === 0) return <Placeholder phase={connection.phase} />;

  const stats = views.filter((s) => s.info.view.type === 'stat');
  const rest = views.filter((s) => s.info.view.type !== 'stat');
  // Charts share rows; stat and table sections take a row each (see styles.css).
  const charts = rest.filter((s) => s.info.view.type !== 'table').length;
  const gridStyle = { '--grid-cols': String(Math.max(1, Math.min(charts, 4))) } as CSSProperties;

  return (
    <div className="dashboard" aria-label="Dashboard">
      <div className="dashboard-grid" style={gridStyle}>
        {[...stats, ...rest].map((section) => (
          <SectionCard
            key={section.info.id}
            section={section}
            phase={connection.phase}
            clockOffsetMs={connection.clockOffsetMs}
            className={section.info.view.type === 'stat' ? 'span-full' : undefined}
          >
            <SectionBody section={section} />
          </SectionCard>
        ))}
      </div>
    </div>
  );
}
