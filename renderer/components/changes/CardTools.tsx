import { useState } from 'react';
import { isEmptyDiff, type RowDiff } from '../../live/rowDiff.js';
import type { SectionView } from '../../live/state.js';
import { DisclosureButton } from '../DisclosureButton.js';
import { ChangeLogPanel } from './ChangeLogPanel.js';
import './changes.css';

/**
 * What else a version says about its rows: "rows reordered" when the rows kept from the version
 * before come in another order (the hash covers the order); "same rows (re-read)" when nothing at
 * all differs (a restarted server, or another node, sends the same rows under a new version).
 */
function OrderNote({ changes }: { changes: RowDiff }) {
  if (changes.reordered) {
    return (
      <span className="change-count" data-kind="reordered">
        rows reordered
      </span>
    );
  }
  if (!isEmptyDiff(changes)) return null;
  return (
    <span className="change-count" data-kind="same" title="The server read the same rows again">
      same rows (re-read)
    </span>
  );
}

/**
 * What the version on screen changed, in words and signs: "+1 added ~2 changed" (a kind with no
 * rows is in the DOM for tests and scripts, not on screen).
 */
export function ChangeSummary({ changes }: { changes: RowDiff | undefined }) {
  if (!changes) {
    return (
      <span className="change-summary" data-testid="change-summary">
        first version seen
      </span>
    );
  }
  const parts = [
    ['added', '+', changes.added.length],
    ['removed', '−', changes.removed.length],
    ['changed', '~', changes.changed.length],
  ] as const;
  return (
    <span className="change-summary" data-testid="change-summary">
      <span className="change-summary-label">Last change:</span>
      {parts.map(([kind, sign, count]) => (
        <span
          key={kind}
          className={`change-count${count > 0 ? ` change-count--${kind}` : ''}`}
          data-kind={kind}
          data-count={count}
        >
          <span aria-hidden="true">{sign}</span>
          {count} {kind}
        </span>
      ))}
      <OrderNote changes={changes} />
    </span>
  );
}

/**
 * A card's tools, under its header: what the version on screen changed, the change log (opens
 * below), and Pause / Resume. `live` is the section as received, `shown` what the card shows
 * (the paused version while paused).
 */
export function CardTools({
  live,
  shown,
  paused,
  onTogglePause,
}: {
  live: SectionView;
  shown: SectionView;
  paused: boolean;
  onTogglePause: () => void;
}) {
  const [open, setOpen] = useState(false);
  const id = `change-log-${live.info.id}`;
  if (!shown.update && !paused) return null;
  return (
    <>
      <div className="card-tools">
        <ChangeSummary changes={shown.changes} />
        <span className="card-tools-buttons">
          <DisclosureButton
            className="btn btn--small"
            open={open}
            controls={id}
            testId="change-log-toggle"
            onToggle={() => setOpen((o) => !o)}
          >
            Change log
          </DisclosureButton>
          <button
            type="button"
            className={`btn btn--small${paused ? ' btn--paused' : ''}`}
            data-testid="pause-toggle"
            onClick={onTogglePause}
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
        </span>
      </div>
      {open && (
        <ChangeLogPanel
          id={id}
          title={live.info.title}
          log={live.changeLog ?? []}
          update={shown.update}
          changes={shown.changes}
        />
      )}
    </>
  );
}
