import type { ButtonHTMLAttributes } from 'react';

interface DialogButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** The look: `cd-btn--<variant>` in ConnectDialog.css; none is the plain bordered button. */
  variant?: 'primary' | 'ghost' | 'danger';
  /** The compact size used inside a profile row. */
  small?: boolean;
}

/**
 * A button of the connect dialog: the `cd-btn` classes for its size and look, `type="button"`
 * unless told otherwise (so that no button but "Save and connect" submits the form).
 */
export function DialogButton({
  variant,
  small = false,
  type = 'button',
  className,
  ...rest
}: DialogButtonProps) {
  const classes = ['cd-btn', small && 'cd-btn--small', variant && `cd-btn--${variant}`, className];
  return <button type={type} className={classes.filter(Boolean).join(' ')} {...rest} />;
}
