import { useCallback, useRef, useState } from 'react';
import { useStore } from '../../hooks/useStore.js';
import type { PushClient } from '../../live/PushClient.js';
import type { SectionView } from '../../live/state.js';
import { InspectDialog } from './InspectDialog.js';

/** Why the rows on screen cannot be taken as live, in words; undefined while they are live. */
export function staleReason(section: SectionView, connected: boolean): string | undefined {
  if (!connected) return 'Stale: the console is not connected, so these rows may be out of date.';
  if (section.status?.healthy === false) {
    return 'Stale: the section’s query is failing; these are its last good rows.';
  }
  return undefined;
}

function InspectIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
      className="icon"
    >
      <circle cx="11" cy="11" r="6" />
      <path d="M20 20l-4.5-4.5" />
    </svg>
  );
}

/**
 * A card's "Inspect" button and, while open, its Inspect panel (InspectDialog). The chart for the
 * PNG is the one drawn in this card.
 */
export function InspectButton({ client, section }: { client: PushClient; section: SectionView }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => setOpen(false), []);
  const verifier = useCallback<Parameters<typeof InspectDialog>[0]['verifier']>(
    (request) => client.verify(request),
    [client],
  );
  const chart = useCallback(
    () => buttonRef.current?.closest('.card')?.querySelector('figure.chart') ?? null,
    [],
  );
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="btn btn--small btn--ghost card-inspect"
        data-testid="card-inspect"
        aria-haspopup="dialog"
        aria-label={`Inspect ${section.info.title}`}
        title="Inspect: version, hash, SQL, exports, verify"
        onClick={() => setOpen(true)}
      >
        <InspectIcon />
        Inspect
      </button>
      {open && (
        <InspectPanel
          client={client}
          section={section}
          verifier={verifier}
          chart={chart}
          onClose={close}
        />
      )}
    </>
  );
}

/** The open panel: reads the connection (serving node, staleness) only while it is shown. */
function InspectPanel({
  client,
  section,
  ...rest
}: { client: PushClient; section: SectionView } & Pick<
  Parameters<typeof InspectDialog>[0],
  'verifier' | 'chart' | 'onClose'
>) {
  const connection = useStore(client.connection);
  return (
    <InspectDialog
      section={section}
      server={connection.server}
      stale={staleReason(section, connection.phase === 'connected')}
      {...rest}
    />
  );
}
