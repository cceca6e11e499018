// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useModalDialog } from './useModalDialog.js';

/**
 * jsdom's <dialog> has no modal API. As browsers do, close() clears `open` at once and fires
 * `close` a task later; showModal() sets `open`.
 */
beforeAll(() => {
  Object.defineProperty(HTMLDialogElement.prototype, 'showModal', {
    configurable: true,
    value(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    },
  });
  Object.defineProperty(HTMLDialogElement.prototype, 'close', {
    configurable: true,
    value(this: HTMLDialogElement) {
      if (!this.open) return;
      this.removeAttribute('open');
      setTimeout(() => this.dispatchEvent(new Event('close')), 0);
    },
  });
});

afterEach(cleanup);

function Dialog({ onClose }: { onClose: () => void }) {
  const ref = useModalDialog(onClose);
  return <dialog ref={ref} data-testid="dialog" />;
}

describe('useModalDialog', () => {
  it('stays open under StrictMode, whose second effect run shows it again after closing it', async () => {
    const onClose = vi.fn();
    render(
      <StrictMode>
        <Dialog onClose={onClose} />
      </StrictMode>,
    );
    const dialog = screen.getByTestId<HTMLDialogElement>('dialog');
    // The close event of StrictMode's simulated unmount arrives a task later: let it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(dialog.open).toBe(true);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('calls onClose once when the browser closes it', async () => {
    const onClose = vi.fn();
    render(<Dialog onClose={onClose} />);
    const dialog = screen.getByTestId<HTMLDialogElement>('dialog');
    expect(dialog.open).toBe(true);
    dialog.close();
    await vi.waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
  });
});
