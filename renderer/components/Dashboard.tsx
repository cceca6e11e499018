import type { PushClient } from '../live/PushClient.js';

// Placeholder: replaced by the real component.
export function Dashboard(_props: { client: PushClient } & Record<string, unknown>) {
  return <div className="placeholder">Dashboard</div>;
}
