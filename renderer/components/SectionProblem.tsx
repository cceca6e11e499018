import { formatAgo } from '../format/format.js';

/** One line of a database error: the message, or a labelled DETAIL / HINT / CONTEXT line. */
export interface ErrorLine {
  label?: string;
  text: string;
}

/**
 * A server error text as lines: the first is the message; lines such as "HINT: ..." or
 * "DETAIL: ..." (PostgreSQL's extra fields, which the server appends) keep their label apart.
 */
export function errorLines(error: string | undefined): ErrorLine[] {
  const lines = (error ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return [{ text: 'Unknown error' }];
  return lines.map((line) => {
    const match = /^(DETAIL|HINT|CONTEXT|WHERE|POSITION|CODE):\s*(.*)$/i.exec(line);
    return match?.[1] && match[2] !== undefined
      ? { label: match[1].toUpperCase(), text: match[2] }
      : { text: line };
  });
}

export interface SectionErrorProps {
  error: string | undefined;
  /** Server-clock age of the last good result, if there ever was one. */
  lastOkAgoMs: number | undefined;
  /** Whether the last good data is still on screen below. */
  hasData: boolean;
}

/** A failing section's query error, with its DETAIL and HINT lines, and what is shown instead. */
export function SectionError({ error, lastOkAgoMs, hasData }: SectionErrorProps) {
  const [message, ...extra] = errorLines(error);
  return (
    <div className="card-error" role="alert" data-testid="section-error">
      <p className="card-error-title">
        <strong>The server cannot run this section’s query.</strong>{' '}
        {hasData
          ? `Showing the last good result${lastOkAgoMs !== undefined ? `, from ${formatAgo(lastOkAgoMs)}` : ''} — it is stale.`
          : 'It has not succeeded yet, so there is no data to show.'}
      </p>
      <p className="card-error-text">{message?.text}</p>
      {extra.map((line, i) => (
        <p className="card-error-text card-error-extra" key={i}>
          {line.label && <span className="card-error-label">{line.label}</span>} {line.text}
        </p>
      ))}
    </div>
  );
}

/** The section works, but its change feed cannot be trusted: changes may show up late. */
export function SectionWarning({ warning }: { warning: string }) {
  return (
    <div className="card-warning" role="status" data-testid="section-warning">
      <strong>Updates may be late.</strong> <span className="card-warning-text">{warning}</span>
    </div>
  );
}
