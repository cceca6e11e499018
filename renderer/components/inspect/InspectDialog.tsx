import { useId, useState } from 'react';
import { createPortal } from 'react-dom';
import type { ServerInfo } from '../../../common/protocol.js';
import { useModalDialog } from '../../hooks/useModalDialog.js';
import { toCsv } from '../../live/csv.js';
import {
  buildEvidence,
  evidenceJson,
  exportFileName,
  verifyRequestOf,
} from '../../live/evidence.js';
import type { SectionView } from '../../live/state.js';
import { CloseButton } from '../CloseButton.js';
import { chartPng } from './chartPng.js';
import { InspectFacts } from './InspectFacts.js';
import { saveFile } from './saveFile.js';
import { useVerify, verifyWords, type Verifier } from './useVerify.js';
import './inspect.css';

export interface InspectDialogProps {
  section: SectionView;
  /** The server the console is connected to (catalog `server`): the serving node. */
  server: ServerInfo | undefined;
  /** Whether the rows on screen are stale (disconnected, or the query failing). */
  stale: string | undefined;
  verifier: Verifier;
  /** The card's rendered chart (`figure.chart`), for the PNG; null for tables and tiles. */
  chart: () => Element | null;
  onClose: () => void;
}

const CHART_TYPES = new Set(['line', 'area', 'bar']);

/**
 * A section's Inspect panel, a native modal dialog: where its numbers come from (version, hash,
 * times, serving node, row count, truncation, the SQL when the server allows it), its exports
 * (CSV of the rows, the chart as PNG, the evidence file) and "Verify" against the server. It keeps
 * the version it was opened on, so what is inspected, exported and verified is one snapshot; a
 * newer version is announced and shown on request, and a verify answer names its version.
 */
export function InspectDialog({
  section,
  server,
  stale,
  verifier,
  chart,
  onClose,
}: InspectDialogProps) {
  const titleId = useId();
  const dialogRef = useModalDialog(onClose);
  const { result, run } = useVerify(verifier);
  const [exportError, setExportError] = useState<string | undefined>(undefined);
  const { info } = section;
  const latest = section.update;
  // The panel keeps the version it was opened on (what the user is inspecting and exporting);
  // a newer one is announced, and shown when asked.
  const [pinned, setPinned] = useState(latest);
  const update = pinned ?? latest;
  const newer = latest && update && latest.version !== update.version ? latest : undefined;
  const request = update ? verifyRequestOf(update) : undefined;
  const isChart = CHART_TYPES.has(info.view.type);

  function exportCsv() {
    if (!update) return;
    const csv = toCsv(update.columns, update.rows);
    saveFile(exportFileName(update, 'csv'), new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  }
  function exportEvidence() {
    if (!update) return;
    const text = evidenceJson(buildEvidence(info, update, server, new Date()));
    saveFile(exportFileName(update, 'json'), new Blob([text], { type: 'application/json' }));
  }
  function exportPng() {
    const figure = chart();
    if (!figure) {
      setExportError('Could not make the PNG: the chart is not on screen.');
      return;
    }
    setExportError(undefined);
    // The picture is of the chart on the card, whose version may be newer than the panel's.
    const version = Number(figure.closest('[data-version]')?.getAttribute('data-version'));
    const name = exportFileName({ section: info.id, version }, 'png');
    chartPng(figure, info.title).then(
      (png) => saveFile(name, png),
      (error: unknown) =>
        setExportError(
          `Could not make the PNG: ${error instanceof Error ? error.message : String(error)}.`,
        ),
    );
  }

  return createPortal(
    <dialog
      ref={dialogRef}
      className="inspect"
      data-testid={`inspect-${info.id}`}
      aria-labelledby={titleId}
    >
      <header className="inspect-head">
        <div>
          <h2 id={titleId} className="inspect-title">
            Inspect: {info.title}
          </h2>
          <p className="inspect-subtitle">
            section <code>{info.id}</code> · {info.view.type}
          </p>
        </div>
        <CloseButton className="btn btn--icon inspect-close" onClose={onClose} />
      </header>

      <div className="inspect-body">
        {stale && (
          <p className="inspect-note inspect-note--warn" data-testid="inspect-stale">
            {stale}
          </p>
        )}
        {newer && (
          <div className="inspect-newer" data-testid="inspect-newer">
            <p className="inspect-note">
              Version {newer.version} arrived since this panel opened; it shows version{' '}
              {update?.version}.
            </p>
            <button type="button" className="btn btn--small" onClick={() => setPinned(newer)}>
              Show version {newer.version}
            </button>
          </div>
        )}
        {update ? (
          <InspectFacts update={update} server={server} />
        ) : (
          <p className="inspect-note">No data yet: nothing to inspect or export.</p>
        )}

        <section className="inspect-part" aria-labelledby={`${titleId}-sql`}>
          <h3 id={`${titleId}-sql`} className="inspect-part-title">
            SQL
          </h3>
          {info.sql !== undefined ? (
            <pre className="inspect-sql" data-testid="inspect-sql" tabIndex={0}>
              <code>{info.sql}</code>
            </pre>
          ) : (
            <p className="inspect-note" data-testid="inspect-sql-hidden">
              {info.id.startsWith('$')
                ? 'Built in: each server process computes this section itself; there is no SQL.'
                : 'Not shown: the server does not publish this section’s SQL (showSql is off).'}
            </p>
          )}
        </section>

        <section className="inspect-part" aria-labelledby={`${titleId}-export`}>
          <h3 id={`${titleId}-export`} className="inspect-part-title">
            Export
          </h3>
          <div className="inspect-actions">
            <button type="button" className="btn btn--small" disabled={!update} onClick={exportCsv}>
              Rows as CSV
            </button>
            {isChart && (
              <button
                type="button"
                className="btn btn--small"
                disabled={!update}
                onClick={exportPng}
              >
                Chart as PNG
              </button>
            )}
            <button
              type="button"
              className="btn btn--small"
              disabled={!update}
              onClick={exportEvidence}
            >
              Evidence (JSON)
            </button>
          </div>
          {exportError && (
            <p className="inspect-note inspect-note--danger" role="alert">
              {exportError}
            </p>
          )}
        </section>

        <section className="inspect-part" aria-labelledby={`${titleId}-verify`}>
          <h3 id={`${titleId}-verify`} className="inspect-part-title">
            Verify
          </h3>
          <div className="inspect-actions">
            <button
              type="button"
              className="btn btn--small"
              data-testid="inspect-verify"
              disabled={!request || result.state === 'checking'}
              onClick={() => request && run(request)}
            >
              Verify with the server
            </button>
            {update && !request && (
              <span className="inspect-note">
                This server sends no hashes, so nothing can be verified.
              </span>
            )}
          </div>
          <p
            className={`inspect-verdict inspect-verdict--${result.state}`}
            data-testid="inspect-verdict"
            data-state={result.state}
            role="status"
          >
            {verifyWords(result)}
          </p>
        </section>
      </div>
    </dialog>,
    document.body,
  );
}
