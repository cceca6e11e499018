import { CloseIcon } from './connect/icons.js';

/** A dialog's close button, the × in its header (Escape closes the dialog too, as its title says). */
export function CloseButton({
  className,
  onClose,
  testId,
}: {
  className: string;
  onClose: () => void;
  testId?: string;
}) {
  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      aria-label="Close"
      title="Close (Esc)"
      onClick={onClose}
    >
      <CloseIcon />
    </button>
  );
}
