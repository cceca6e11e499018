import type { ReactNode } from 'react';
import type { AlertEvent } from '../../common/alerts.js';
import type { SectionInfo } from '../../common/protocol.js';
import { useNow } from '../hooks/useNow.js';
import type { ConnectionPhase, SectionView } from '../live/state.js';
import { formatAgo, formatDuration, formatFullDate, parseTime } from '../format/format.js';
import { SectionError, SectionWarning } from './SectionProblem.js';
import { SEVERITY_LABEL, SeverityIcon } from './alerts/SeverityIcon.js';
import { pausedLabel } from '../live/pause.js';

/** A firing alert on this section, and whether the user acknowledged or snoozed it. */
export interface CardAlert {
  event: AlertEvent;
  quiet: boolean;
}

export interface SectionCardProps {
  section: SectionView;
  phase: ConnectionPhase;
  /** serverClock - clientClock, so ages computed from server timestamps are right. */
  clockOffsetMs: number;
  /** The view; shown once the section has data. */
  children?: ReactNode;
  className?: string | undefined;
  /** Firing alerts of this section, most severe first: border in its colour, a badge each. */
  alerts?: CardAlert[] | undefined;
  /** While the user has paused the card: the versions received since (it never reads as live). */
  pausedNewer?: number | undefined;
  /** The card's own controls (what changed, change log, pause), under its header. */
  tools?: ReactNode;
  /** Buttons at the end of the header (Inspect). */
  actions?: ReactNode;
}

/**
 * How the server learns that this section changed, in words; never "live" while the data is
 * stale (disconnected or failing).
 */
export function sourceLabel(info: SectionInfo, stale = false): string {
  switch (info.mode) {
    case 'push':
      return stale ? 'push' : 'live push';
    case 'notify':
      return 'database notify';
    case 'poll':
      return info.intervalMs ? `polls every ${formatDuration(info.intervalMs)}` : 'polls';
  }
}

/** The freshness label: how old the data is and whether it can be trusted. */
export function freshnessLabel(
  hasData: boolean,
  ageMs: number | undefined,
  failing: boolean,
  lastOkAgoMs: number | undefined,
  warned: boolean,
): string {
  if (!hasData) return failing ? 'no data — query failing' : 'no data yet';
  if (failing) {
    const ago = lastOkAgoMs ?? ageMs;
    return ago !== undefined ? `stale — last good ${formatAgo(ago)}` : 'stale — query failing';
  }
  const updated = ageMs !== undefined ? `updated ${formatAgo(ageMs)}` : 'updated';
  return warned ? `${updated} — may be late` : updated;
}

/** The card's element id: a desktop alert notification's click scrolls to and focuses it. */
export function sectionCardId(section: string): string {
  return `card-${section}`;
}

/**
 * The frame of one section: title, freshness ("updated 12 s ago", from the server's changedAt
 * corrected by the clock offset), how the server watches it, and the stale / failing / warned
 * states. A failing section shows the error (with the database's DETAIL and HINT) over its last
 * good data, marked stale, or an explicit error state when it never had data: never a loading
 * placeholder. A warned section (change feed not trusted) says so on the card and in its labels.
 */
export function SectionCard({
  section,
  phase,
  clockOffsetMs,
  children,
  className,
  alerts,
  pausedNewer,
  tools,
  actions,
}: SectionCardProps) {
  const now = useNow(1000);
  const { info, update, status } = section;
  const disconnected = phase !== 'connected';
  const unhealthy = status?.healthy === false;
  const warning = !unhealthy && status?.warning ? status.warning : undefined;
  const serverNow = now + clockOffsetMs;
  const changedMs = update ? parseTime(update.changedAt) : NaN;
  const age = Number.isNaN(changedMs) ? undefined : Math.max(0, serverNow - changedMs);
  const lastOk = status?.lastOkAt ? parseTime(status.lastOkAt) : NaN;
  const lastOkAgo = Number.isNaN(lastOk) ? undefined : Math.max(0, serverNow - lastOk);
  const stale = disconnected || (unhealthy && update !== undefined);
  const paused = pausedNewer !== undefined;
  const source = sourceLabel(info, stale || paused);

  const classes = ['card', `card--${info.view.type}`, className];
  if (disconnected) classes.push('is-stale');
  if (unhealthy) classes.push('is-unhealthy');
  if (warning) classes.push('is-warned');
  if (paused) classes.push('is-paused');
  const top = alerts?.[0];
  if (top) classes.push('is-alerted', `is-alerted--${top.event.severity}`);
  if (top && alerts.every((a) => a.quiet)) classes.push('is-quiet-alert');

  return (
    <section
      className={classes.filter(Boolean).join(' ')}
      id={sectionCardId(info.id)}
      tabIndex={-1}
      data-testid={`section-${info.id}`}
      data-version={update?.version}
      data-stale={stale ? 'true' : 'false'}
      data-healthy={unhealthy ? 'false' : 'true'}
      data-warned={warning ? 'true' : undefined}
      data-paused={paused ? 'true' : undefined}
      data-alerted={top ? top.event.severity : undefined}
      aria-labelledby={`section-title-${info.id}`}
      aria-busy={update || unhealthy ? undefined : true}
    >
      <div className="card-header">
        <h2 className="card-title" id={`section-title-${info.id}`}>
          {info.title}
        </h2>
        <div className="card-meta">
          {alerts?.map(({ event }) => (
            <span
              key={event.id}
              className={`card-alert-badge alert--${event.severity}`}
              title={event.message}
            >
              <SeverityIcon severity={event.severity} />
              {SEVERITY_LABEL[event.severity]}: {event.id}
            </span>
          ))}
          {disconnected && update && (
            <span className="chip chip--warn card-stale" role="status">
              stale — disconnected
            </span>
          )}
          {unhealthy && <span className="chip chip--danger">query failing</span>}
          {paused && (
            <span className="chip chip--paused" data-testid="card-paused">
              {pausedLabel(pausedNewer)}
            </span>
          )}
          <span
            className="card-freshness"
            data-testid="card-freshness"
            title={
              update
                ? `Changed ${formatFullDate(update.changedAt)} · queried ${formatFullDate(update.queriedAt)} · version ${update.version}`
                : undefined
            }
          >
            {freshnessLabel(update !== undefined, age, unhealthy, lastOkAgo, warning !== undefined)}
          </span>
          <span className="card-sep" aria-hidden="true">
            ·
          </span>
          <span
            className={`card-source card-source--${warning ? 'warned' : info.mode}`}
            data-testid="card-source"
            title={warning}
          >
            {warning ? `${source}, unreliable` : source}
          </span>
          {actions}
        </div>
      </div>

      {tools}

      {unhealthy && (
        <SectionError error={status.error} lastOkAgoMs={lastOkAgo} hasData={update !== undefined} />
      )}
      {warning && <SectionWarning warning={warning} />}

      {update ? (
        <div className="card-body">{children}</div>
      ) : unhealthy ? null : (
        <div className="card-body">
          <div className="skeleton" data-kind={info.view.type}>
            <div className="skeleton-shapes" aria-hidden="true">
              <span />
              <span />
              <span />
              <span />
            </div>
            <p className="skeleton-text">
              {phase === 'connected' ? 'Waiting for data…' : 'Waiting for data — not connected'}
            </p>
          </div>
        </div>
      )}
    </section>
  );
}
