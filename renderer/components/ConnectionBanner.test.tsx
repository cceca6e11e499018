// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushClient } from '../live/PushClient.js';
import { initialConnection, type ConnectionState } from '../live/state.js';
import { ConnectionBanner } from './ConnectionBanner.js';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const target = { id: 'demo', name: 'Demo', url: 'http://127.0.0.1:3001', token: 'secret' };

function setup(state: Partial<ConnectionState>) {
  const client = new PushClient();
  client.connection.set({ ...initialConnection, target, ...state });
  const onFixToken = vi.fn();
  render(<ConnectionBanner client={client} onFixToken={onFixToken} />);
  return { client, onFixToken };
}

const banner = () => screen.queryByTestId('connection-banner');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('ConnectionBanner', () => {
  it('stays hidden for a blip, then shows the attempt and a countdown', () => {
    const { client } = setup({
      phase: 'reconnecting',
      attempt: 2,
      disconnectedSince: T0,
      nextRetryAt: T0 + 5400,
      lastError: 'connection lost (transport close)',
    });
    expect(banner()).toBeNull();
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(banner()).toBeNull();

    act(() => {
      vi.advanceTimersByTime(600);
    });
    const shown = banner();
    expect(shown?.getAttribute('data-phase')).toBe('reconnecting');
    expect(shown?.getAttribute('role')).toBe('alert');
    expect(shown?.textContent).toMatch(/reconnecting/i);
    expect(shown?.textContent).toContain('Attempt 2');
    expect(shown?.textContent).toContain('next try in 4 s');

    act(() => {
      vi.advanceTimersByTime(2000);
    });
    expect(banner()?.textContent).toContain('next try in 2 s');

    const retry = vi.spyOn(client, 'retryNow').mockImplementation(() => undefined);
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('never shows while connected', () => {
    const { client } = setup({ phase: 'connected' });
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(banner()).toBeNull();
    act(() => {
      client.connection.set({
        ...client.connection.get(),
        phase: 'reconnecting',
        disconnectedSince: Date.now(),
      });
    });
    act(() => {
      vi.advanceTimersByTime(1600);
    });
    expect(banner()).not.toBeNull();
    act(() => {
      client.connection.set({ ...initialConnection, target, phase: 'connected' });
    });
    expect(banner()).toBeNull();
  });

  it('explains an unreachable server with the last error', () => {
    setup({
      phase: 'unreachable',
      attempt: 3,
      disconnectedSince: T0 - 10_000,
      nextRetryAt: T0 + 3000,
      lastError: 'the server cannot be reached',
    });
    act(() => {
      vi.advanceTimersByTime(300);
    });
    expect(banner()?.getAttribute('data-phase')).toBe('unreachable');
    expect(banner()?.textContent).toContain('Cannot reach Demo (127.0.0.1:3001)');
    expect(banner()?.textContent).toContain('the server cannot be reached');
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();
  });

  it('offers to fix a refused token and does not offer a retry', () => {
    const { onFixToken } = setup({
      phase: 'unauthorized',
      disconnectedSince: T0,
      lastError: 'the server refused the token',
    });
    expect(banner()?.getAttribute('data-phase')).toBe('unauthorized');
    expect(banner()?.textContent).toContain('The server refused the token');
    expect(screen.queryByRole('button', { name: 'Retry now' })).toBeNull();
    expect(banner()?.textContent).not.toMatch(/next try/);
    fireEvent.click(screen.getByRole('button', { name: /fix token/i }));
    expect(onFixToken).toHaveBeenCalledOnce();
  });

  it('says when the server is restarting', () => {
    setup({
      phase: 'reconnecting',
      attempt: 1,
      disconnectedSince: T0 - 2000,
      nextRetryAt: T0 + 1000,
      serverShutdown: true,
    });
    act(() => {
      vi.advanceTimersByTime(300);
    });
    expect(banner()?.textContent).toContain('The server is restarting');
  });
});
