// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SectionInfo } from '../../common/protocol.js';
import { PushClient } from '../live/PushClient.js';
import { applyCatalog, applyStatus } from '../live/sectionsReducer.js';
import { initialConnection, initialSections } from '../live/state.js';
import { Header } from './Header.js';

const info = (id: string): SectionInfo => ({
  id,
  title: id,
  view: { type: 'table' },
  mode: 'poll',
});
const server = { name: 'opsdeck', version: '0.1.0', nodeId: 'n1', clusterSize: 1 };

function connectedClient(): PushClient {
  const client = new PushClient();
  client.connection.set({ ...initialConnection, phase: 'connected', server, rttMs: 3 });
  client.sections.set(applyCatalog(initialSections, ['a', 'b', 'c', 'd'].map(info)));
  return client;
}

function renderHeader(client: PushClient) {
  render(<Header client={client} theme="dark" onToggleTheme={() => {}} onOpenConnect={() => {}} />);
  return screen.getByTestId('connection-status');
}

afterEach(cleanup);

describe('Header', () => {
  it('says Connected (green) while every section is healthy', () => {
    const status = renderHeader(connectedClient());
    expect(status.textContent).toContain('Connected');
    expect(status.querySelector('.conn-state--ok')).not.toBeNull();
    expect(status.hasAttribute('data-health')).toBe(false);
  });

  it('shows the server degraded (amber) with how many sections fail', () => {
    const client = connectedClient();
    const status = renderHeader(client);
    act(() => {
      client.sections.update((s) => applyStatus(s, { section: 'a', healthy: false, error: 'x' }));
      client.sections.update((s) => applyStatus(s, { section: 'c', healthy: false, error: 'y' }));
    });
    expect(status.textContent).toContain('Degraded · 2 of 4 sections failing');
    expect(status.textContent).not.toContain('Connected');
    expect(status.getAttribute('data-health')).toBe('degraded');
    expect(status.querySelector('.conn-state--warn')).not.toBeNull();
    expect(status.querySelector('.conn-state--ok')).toBeNull();
    act(() => {
      client.sections.update((s) => applyStatus(s, { section: 'a', healthy: true }));
      client.sections.update((s) => applyStatus(s, { section: 'c', healthy: true }));
    });
    expect(status.textContent).toContain('Connected');
  });

  it('shows the server degraded while a section’s change feed cannot be trusted', () => {
    const client = connectedClient();
    const status = renderHeader(client);
    act(() => {
      client.sections.update((s) =>
        applyStatus(s, { section: 'b', healthy: true, warning: 'orders has no notify trigger' }),
      );
    });
    expect(status.textContent).toContain('Degraded · 1 of 4 sections may be late');
    expect(status.querySelector('.conn-state--warn')).not.toBeNull();
    // A failure outranks a warning in the words.
    act(() => {
      client.sections.update((s) => applyStatus(s, { section: 'a', healthy: false, error: 'x' }));
    });
    expect(status.textContent).toContain('Degraded · 1 of 4 sections failing');
    act(() => {
      client.sections.update((s) => applyStatus(s, { section: 'a', healthy: true }));
      client.sections.update((s) => applyStatus(s, { section: 'b', healthy: true }));
    });
    expect(status.textContent).toContain('Connected');
  });

  it('shows the server degraded when it says so (server-status)', () => {
    const client = connectedClient();
    const status = renderHeader(client);
    act(() => client.connection.update((c) => ({ ...c, degraded: 'redis unreachable' })));
    expect(status.textContent).toContain('Degraded · redis unreachable');
    expect(status.querySelector('.conn-state--warn')).not.toBeNull();
  });

  it('the Connect button’s accessible name starts with its visible label', () => {
    renderHeader(connectedClient());
    const button = screen.getByRole('button', { name: /^Connect…/ });
    expect(button.textContent).toContain('Connect…');
  });
});
