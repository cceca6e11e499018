import { useEffect, useRef } from 'react';

/**
 * A <dialog> shown as a native modal while mounted (the page behind is inert and focus stays
 * inside), giving focus back to where it was when it goes away. The browser's other ways of
 * closing a modal (close requests, dialog.close()) call `onClose` instead. Returns the ref for
 * the <dialog>.
 */
export function useModalDialog(onClose: () => void) {
  const dialogRef = useRef<HTMLDialogElement>(null);

  // Open as a modal; give focus back to where it was when the dialog goes away.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    return () => {
      // React may run this before it removes the dialog: while it is still modal the rest of the
      // page is inert and focus() would do nothing, so take it out of the top layer first.
      if (dialog.open && typeof dialog.close === 'function') dialog.close(); // jsdom has none
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  // Other ways a browser closes a modal dialog (close requests, dialog.close()).
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    // `close` is dispatched a task after the dialog closed. Open again by then, the dialog was
    // closed and shown again by the effect above (React's StrictMode runs effects twice): stale.
    const onClosed = () => {
      if (!dialog.open) onClose();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onClosed);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onClosed);
    };
  }, [onClose]);

  return dialogRef;
}
