/** How the console was asked to show itself, from its URL (CONTRACT.md section 3). */
export interface ViewOptions {
  /** `?kiosk`: TV mode (no chrome, larger type, cursor hidden when idle, reconnects forever). */
  kiosk: boolean;
  /** `&rotate=20s`: cycle the dashboards this often (ms). */
  rotateMs?: number;
  /** `?dashboard=<id>`: the dashboard to open. */
  dashboard?: string;
}

/** Shortest rotation period accepted: anything faster cannot be read. */
export const MIN_ROTATE_MS = 2000;

/** `20s`, `2m`, `1h`, `1500ms` or a bare number of seconds; undefined when unreadable. */
export function parseRotate(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  const ms = Number(match[1]) * unit;
  return Number.isFinite(ms) && ms > 0 ? Math.max(MIN_ROTATE_MS, ms) : undefined;
}

export function parseViewOptions(search: string): ViewOptions {
  const params = new URLSearchParams(search);
  const options: ViewOptions = { kiosk: params.has('kiosk') && params.get('kiosk') !== 'false' };
  const rotate = params.get('rotate');
  const rotateMs = rotate === null ? undefined : parseRotate(rotate);
  if (rotateMs !== undefined) options.rotateMs = rotateMs;
  const dashboard = params.get('dashboard');
  if (dashboard) options.dashboard = dashboard;
  return options;
}

/** The same URL with `dashboard=<id>` set, or removed for all sections (others kept as they were). */
export function urlWithDashboard(href: string, id: string | undefined): string {
  const url = new URL(href);
  if (id === undefined) url.searchParams.delete('dashboard');
  else url.searchParams.set('dashboard', id);
  // URLSearchParams writes a bare `kiosk` as `kiosk=`; keep it as the user typed it.
  return url.toString().replace(/([?&]kiosk)=(?=&|$|#)/, '$1');
}
