import type { AlertSeverity } from '../../../common/alerts.js';

/** Severity in words, always shown next to its colour and icon (never colour alone). */
export const SEVERITY_LABEL: Record<AlertSeverity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};

/** A distinct shape per severity: octagon (critical), triangle (warning), circle (info). */
export function SeverityIcon({ severity }: { severity: AlertSeverity }) {
  const shape =
    severity === 'critical' ? (
      <path d="M5.5 1h5L15 5.5v5L10.5 15h-5L1 10.5v-5z" />
    ) : severity === 'warning' ? (
      <path d="M8 1.2 15.2 14H.8z" />
    ) : (
      <circle cx="8" cy="8" r="7" />
    );
  return (
    <svg className="alert-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <g fill="currentColor">{shape}</g>
      <g fill="var(--alert-icon-ink)">
        {severity === 'info' ? (
          <>
            <rect x="7.1" y="7" width="1.8" height="5" rx="0.6" />
            <circle cx="8" cy="4.7" r="1.1" />
          </>
        ) : (
          <>
            <rect x="7.1" y={severity === 'warning' ? 5.4 : 4} width="1.8" height="5" rx="0.6" />
            <circle cx="8" cy={severity === 'warning' ? 12 : 11.6} r="1.1" />
          </>
        )}
      </g>
    </svg>
  );
}
