import type { ViewCheck } from '../../common/viewColumns.js';
import './ViewNotice.css';

/**
 * What a card cannot show as its view is configured (components/viewColumns), as a visible
 * notice on the card: never a blank body or a tile with no figure behind it.
 */
export function ViewNotice({ check }: { check: ViewCheck }) {
  if (check.notes.length === 0) return null;
  return (
    <div
      className="view-notice"
      role="note"
      data-testid="view-notice"
      data-drawable={check.drawable ? 'true' : 'false'}
    >
      <strong>{check.drawable ? 'Shown in part.' : 'Nothing to show.'}</strong>
      {check.notes.map((note) => (
        <p key={note} className="view-notice-text">
          {note}
        </p>
      ))}
    </div>
  );
}
