import type { DesktopBridge, Profile } from '../bridge/DesktopBridge.js';
import type { PushClient } from '../live/PushClient.js';

// Placeholder: replaced by the real component.
export function ConnectDialog(_props: {
  bridge: DesktopBridge;
  client: PushClient;
  onClose: () => void;
  onConnect: (profile: Profile) => void;
}) {
  return <div className="placeholder">ConnectDialog</div>;
}
