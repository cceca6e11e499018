import { useCallback, useId, useState } from 'react';
import type { ClientsRequest } from '../../../common/clients.js';
import { useStore } from '../../hooks/useStore.js';
import type { PushClient } from '../../live/PushClient.js';
import { DisclosureButton } from '../DisclosureButton.js';
import { ClientsList } from './ClientsList.js';

/** A node row's "Clients" disclosure: the list is asked for only while it is open. */
export function NodeClients({ nodeId, client }: { nodeId: string; client: PushClient }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const connected = useStore(client.connection).phase === 'connected';
  const list = useCallback((request: ClientsRequest) => client.listClients(request), [client]);
  return (
    <div className="node-clients">
      <DisclosureButton
        className="btn btn--quiet node-clients-toggle"
        open={open}
        controls={panelId}
        onToggle={() => setOpen((o) => !o)}
      >
        {open ? 'Hide clients' : 'Show clients'}
      </DisclosureButton>
      <div id={panelId} hidden={!open}>
        {open && <ClientsList nodeId={nodeId} list={list} connected={connected} />}
      </div>
    </div>
  );
}
