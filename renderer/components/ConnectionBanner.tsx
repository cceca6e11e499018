import type { PushClient } from '../live/PushClient.js';

// Placeholder: replaced by the real component.
export function ConnectionBanner(_props: { client: PushClient } & Record<string, unknown>) {
  return <div className="placeholder">ConnectionBanner</div>;
}
