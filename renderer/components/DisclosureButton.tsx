import type { ReactNode } from 'react';

/**
 * A button that shows and hides another element (`controls`, its id): aria-expanded tells
 * assistive technology which it is now. The caller holds `open` and flips it in `onToggle`.
 */
export function DisclosureButton({
  open,
  controls,
  onToggle,
  className,
  testId,
  children,
}: {
  open: boolean;
  controls: string;
  onToggle: () => void;
  className: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={className}
      aria-expanded={open}
      aria-controls={controls}
      data-testid={testId}
      onClick={onToggle}
    >
      {children}
    </button>
  );
}
