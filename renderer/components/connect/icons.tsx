/** The connect dialog's line icons (24-unit grid, stroked by ConnectDialog.css). */
import type { ReactNode } from 'react';

function Icon({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <svg
      className={`cd-svg ${className ?? ''}`}
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export function CloseIcon() {
  return (
    <Icon>
      <path d="M6 6l12 12M18 6L6 18" />
    </Icon>
  );
}
export function PlusIcon() {
  return (
    <Icon>
      <path d="M12 5v14M5 12h14" />
    </Icon>
  );
}
export function CheckIcon() {
  return (
    <Icon>
      <path d="M5 12.5l4.5 4.5L19 7.5" />
    </Icon>
  );
}
export function CrossIcon() {
  return (
    <Icon>
      <path d="M7 7l10 10M17 7L7 17" />
    </Icon>
  );
}
export function StopIcon() {
  return (
    <Icon>
      <rect x="7" y="7" width="10" height="10" rx="1.5" />
    </Icon>
  );
}
export function PulseIcon() {
  return (
    <Icon>
      <path d="M3 12h4l2.5-6 4 12 2.5-6H21" />
    </Icon>
  );
}
export function KeyIcon() {
  return (
    <Icon className="cd-svg--small">
      <circle cx="8" cy="15" r="4" />
      <path d="M11 12l8-8M16 7l2.5 2.5M14 9l2 2" />
    </Icon>
  );
}
export function WarnIcon() {
  return (
    <Icon className="cd-svg--small">
      <path d="M12 4l9 16H3z" />
      <path d="M12 10v4M12 17v.01" />
    </Icon>
  );
}
export function EyeIcon({ off }: { off: boolean }) {
  return (
    <Icon>
      <path d="M2.5 12s3.5-6.5 9.5-6.5 9.5 6.5 9.5 6.5-3.5 6.5-9.5 6.5S2.5 12 2.5 12z" />
      <circle cx="12" cy="12" r="2.8" />
      {off && <path d="M4 4l16 16" />}
    </Icon>
  );
}
