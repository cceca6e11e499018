import type { ReactNode } from 'react';
import type { SectionInfo } from '../../common/protocol.js';
import { useNow } from '../hooks/useNow.js';
import type { ConnectionPhase, SectionView } from '../live/state.js';
import { formatAgo, formatDuration, formatFullDate, parseTime } from '../format/format.js';

export interface SectionCardProps {
  section: SectionView;
  phase: ConnectionPhase;
  /** serverClock - clientClock, so ages computed from server timestamps are right. */
  clockOffsetMs: number;
  /** The view; shown once the section has data. */
  children?: ReactNode;
  className?: string;
}

/** How the server learns that this section changed, in words. */
export function sourceLabel(info: SectionInfo): string {
  switch (info.mode) {
    case 'push':
      return 'live push';
    case 'notify':
      return 'database notify';
    case 'poll':
      return info.intervalMs ? `polls every ${formatDuration(info.intervalMs)}` : 'polls';
  }
}

/**
 * The frame of one section: title, freshness ("updated 12 s ago", from the server's changedAt
 * corrected by the clock offset), how the server watches it, and the stale / unhealthy states.
 * Stale and unhealthy sections keep showing their last data, marked.
 */
export function SectionCard({
  section,
  phase,
  clockOffsetMs,
  children,
  className,
}: SectionCardProps) {
  const now = useNow(1000);
  const { info, update, status } = section;
  const stale = phase !== 'connected';
  const unhealthy = status?.healthy === false;
  const serverNow = now + clockOffsetMs;
  const changedMs = update ? parseTime(update.changedAt) : NaN;
  const age = Number.isNaN(changedMs) ? undefined : Math.max(0, serverNow - changedMs);
  const lastOk = status?.lastOkAt ? parseTime(status.lastOkAt) : NaN;

  const classes = ['card', `card--${info.view.type}`, className];
  if (stale) classes.push('is-stale');
  if (unhealthy) classes.push('is-unhealthy');

  return (
    <section
      className={classes.filter(Boolean).join(' ')}
      data-testid={`section-${info.id}`}
      data-version={update?.version}
      data-stale={stale ? 'true' : 'false'}
      data-healthy={unhealthy ? 'false' : 'true'}
      aria-labelledby={`section-title-${info.id}`}
      aria-busy={update ? undefined : true}
    >
      <div className="card-header">
        <h2 className="card-title" id={`section-title-${info.id}`}>
          {info.title}
        </h2>
        <div className="card-meta">
          {stale && update && (
            <span className="chip chip--warn card-stale" role="status">
              stale — disconnected
            </span>
          )}
          {unhealthy && <span className="chip chip--danger">query failing</span>}
          <span
            className="card-freshness"
            title={
              update
                ? `Changed ${formatFullDate(update.changedAt)} · queried ${formatFullDate(update.queriedAt)} · version ${update.version}`
                : undefined
            }
          >
            {age !== undefined ? `updated ${formatAgo(age)}` : 'no data yet'}
          </span>
          <span className="card-sep" aria-hidden="true">
            ·
          </span>
          <span className={`card-source card-source--${info.mode}`}>{sourceLabel(info)}</span>
        </div>
      </div>

      {unhealthy && (
        <div className="card-error" role="alert">
          <strong>The server cannot run this section’s query.</strong>{' '}
          <span className="card-error-text">{status.error ?? 'Unknown error'}</span>
          {!Number.isNaN(lastOk) && (
            <span className="card-error-since">
              {' '}
              Last good result {formatAgo(Math.max(0, serverNow - lastOk))}
              {update ? ' — showing it below.' : '.'}
            </span>
          )}
        </div>
      )}

      <div className="card-body">
        {update ? (
          children
        ) : (
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
        )}
      </div>
    </section>
  );
}
