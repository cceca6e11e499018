import { networkInterfaces } from 'node:os';

/**
 * The machine's network as a comparable string: online or not, and every non-loopback address
 * with its interface. It changes when Wi-Fi switches networks, a cable is plugged in, a VPN comes
 * up, or the link drops: cases in which open sockets may be dead without knowing it.
 */
export function networkSignature(online: boolean): string {
  const addresses: string[] = [];
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (!entry.internal) addresses.push(`${name}=${entry.address}`);
    }
  }
  return `${online ? 'online' : 'offline'}|${addresses.sort().join(',')}`;
}
