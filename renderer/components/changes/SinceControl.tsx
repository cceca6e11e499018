import { useEffect, useId } from 'react';
import type { SinceChoice } from './kpiSince.js';
import { markSeen, watchVisibility } from './lookedAt.js';

const DEFAULT_TIME = '09:00';

/** What KPI deltas compare with: the previous update, when I looked, or a time of day. */
export function SinceControl({
  choice,
  onChange,
}: {
  choice: SinceChoice;
  onChange: (choice: SinceChoice) => void;
}) {
  const id = useId();
  useEffect(() => watchVisibility(), []);
  return (
    <div className="since-control" data-testid="since-control">
      <label htmlFor={`${id}-since`}>Change</label>
      <select
        id={`${id}-since`}
        className="since-select"
        value={choice.kind}
        onChange={(e) => {
          const kind = e.target.value;
          onChange(
            kind === 'looked'
              ? { kind: 'looked' }
              : kind === 'clock'
                ? { kind: 'clock', time: DEFAULT_TIME }
                : { kind: 'previous' },
          );
        }}
      >
        <option value="previous">since last update</option>
        <option value="looked">since I looked</option>
        <option value="clock">since a time of day…</option>
      </select>
      {choice.kind === 'clock' && (
        <input
          type="time"
          className="since-time"
          aria-label="Since (time of day)"
          value={choice.time}
          onChange={(e) => onChange({ kind: 'clock', time: e.target.value })}
        />
      )}
      {choice.kind === 'looked' && (
        <button type="button" className="btn btn--small" onClick={() => markSeen()}>
          Mark as seen
        </button>
      )}
    </div>
  );
}
