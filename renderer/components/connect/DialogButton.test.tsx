import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DialogButton } from './DialogButton.js';

describe('DialogButton', () => {
  it('never submits unless told, and carries the size and look classes', () => {
    render(
      <form>
        <DialogButton small variant="ghost" className="cd-btn--danger-text">
          Delete
        </DialogButton>
        <DialogButton type="submit" variant="primary">
          Save and connect
        </DialogButton>
        <DialogButton>Save</DialogButton>
      </form>,
    );
    const del = screen.getByRole('button', { name: 'Delete' });
    expect(del.getAttribute('type')).toBe('button');
    expect(del.className).toBe('cd-btn cd-btn--small cd-btn--ghost cd-btn--danger-text');
    expect(screen.getByRole('button', { name: 'Save and connect' }).getAttribute('type')).toBe(
      'submit',
    );
    expect(screen.getByRole('button', { name: 'Save' }).className).toBe('cd-btn');
  });
});
