import { useCallback, useEffect, useState } from 'react';
import type { ClientsBody, ClientsRequest } from '../../../common/clients.js';
import type { ClientsAck } from '../../../common/protocol.js';

/** Asks the server for a page of clients (PushClient.listClients). */
export type ClientsLister = (request: ClientsRequest) => Promise<ClientsAck>;

export interface ClientsPage {
  /** The last page the server sent (kept while the next one loads, or when it fails). */
  body?: ClientsBody;
  /** When that page was listed (epoch ms): a list is a moment, not live. */
  listedAt?: number;
  loading: boolean;
  /** Why the last request failed, in words for people. */
  error?: string;
}

/**
 * One node's clients, a page at a time: asked when shown, when the page changes and on refresh
 * (never on a timer: the console does not poll). Only the latest request's answer is used.
 */
export function useClientsPage(lister: ClientsLister, node: string, pageSize: number) {
  const [page, setPage] = useState(1);
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<ClientsPage>({ loading: true });

  useEffect(() => {
    let wanted = true;
    const current = () => wanted;
    setState((s) => ({ ...s, loading: true }));
    lister({ node, page, pageSize }).then(
      (ack) => {
        if (!current()) return;
        if (ack.ok) setState({ body: ack, listedAt: Date.now(), loading: false });
        else setState((s) => ({ ...s, loading: false, error: ack.error.message }));
      },
      (error: unknown) => {
        if (!current()) return;
        const message = error instanceof Error ? error.message : String(error);
        setState((s) => ({ ...s, loading: false, error: message }));
      },
    );
    return () => {
      wanted = false; // unmounted or asked again: this answer is not wanted any more
    };
  }, [lister, node, page, pageSize, nonce]);

  const refresh = useCallback(() => setNonce((n) => n + 1), []);
  return { state, page, setPage, refresh };
}
